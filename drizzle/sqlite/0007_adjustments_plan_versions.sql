CREATE TABLE `adjustments` (
	`partner` text NOT NULL,
	`id` text NOT NULL,
	`customer` text NOT NULL,
	`period` text NOT NULL,
	`description` text NOT NULL,
	`amount` text NOT NULL,
	`offering` text,
	`taxable` integer NOT NULL,
	`seq` integer NOT NULL,
	`body_hash` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `id`),
	FOREIGN KEY (`partner`,`customer`) REFERENCES `customers`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `adjustments_customer_period` ON `adjustments` (`partner`,`customer`,`period`,`seq`);--> statement-breakpoint
CREATE TABLE `plan_versions` (
	`partner` text NOT NULL,
	`hash` text NOT NULL,
	`text` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `hash`)
);
