CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`partner` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_partner` ON `api_tokens` (`partner`);--> statement-breakpoint
CREATE TABLE `customers` (
	`partner` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`locale` text,
	`tax_rate` text,
	`email` text,
	`body_hash` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`partner`, `id`)
);
--> statement-breakpoint
CREATE TABLE `idempotency` (
	`partner` text NOT NULL,
	`key` text NOT NULL,
	`route` text NOT NULL,
	`body_hash` text NOT NULL,
	`status` integer NOT NULL,
	`content_type` text NOT NULL,
	`response` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `key`)
);
--> statement-breakpoint
CREATE TABLE `quantities` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner` text NOT NULL,
	`subscription` text NOT NULL,
	`metric` text NOT NULL,
	`value` integer NOT NULL,
	`from` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`partner`,`subscription`) REFERENCES `subscriptions`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quantities_subscription` ON `quantities` (`partner`,`subscription`);--> statement-breakpoint
CREATE TABLE `requests` (
	`partner` text NOT NULL,
	`id` text NOT NULL,
	`customer` text NOT NULL,
	`offering` text,
	`service` text NOT NULL,
	`category` text NOT NULL,
	`severity` text NOT NULL,
	`channel` text NOT NULL,
	`received_at` text NOT NULL,
	`received_ms` integer NOT NULL,
	`service_incident` integer,
	`responded_at` text,
	`decision` text NOT NULL,
	`body_hash` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `id`),
	FOREIGN KEY (`partner`,`customer`) REFERENCES `customers`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `requests_customer_time` ON `requests` (`partner`,`customer`,`received_ms`);--> statement-breakpoint
CREATE TABLE `spend` (
	`partner` text NOT NULL,
	`id` text NOT NULL,
	`customer` text NOT NULL,
	`period` text NOT NULL,
	`service` text NOT NULL,
	`amount` text NOT NULL,
	`body_hash` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `id`),
	FOREIGN KEY (`partner`,`customer`) REFERENCES `customers`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `spend_customer_period` ON `spend` (`partner`,`customer`,`period`);--> statement-breakpoint
CREATE TABLE `statements` (
	`partner` text NOT NULL,
	`customer` text NOT NULL,
	`period` text NOT NULL,
	`number` text NOT NULL,
	`plan_hash` text NOT NULL,
	`inputs_digest` text NOT NULL,
	`body` text NOT NULL,
	`issued_at` text NOT NULL,
	PRIMARY KEY(`partner`, `customer`, `period`),
	FOREIGN KEY (`partner`,`customer`) REFERENCES `customers`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statements_number` ON `statements` (`partner`,`number`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`partner` text NOT NULL,
	`id` text NOT NULL,
	`customer` text NOT NULL,
	`offering` text NOT NULL,
	`start` text NOT NULL,
	`end` text,
	`discount` text,
	`body_hash` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `id`),
	FOREIGN KEY (`partner`,`customer`) REFERENCES `customers`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `subscriptions_customer` ON `subscriptions` (`partner`,`customer`);--> statement-breakpoint
CREATE TABLE `worklogs` (
	`partner` text NOT NULL,
	`id` text NOT NULL,
	`customer` text NOT NULL,
	`request` text,
	`offering` text,
	`start` text NOT NULL,
	`start_ms` integer NOT NULL,
	`minutes` integer NOT NULL,
	`body_hash` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `id`),
	FOREIGN KEY (`partner`,`customer`) REFERENCES `customers`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `worklogs_customer_time` ON `worklogs` (`partner`,`customer`,`start_ms`);