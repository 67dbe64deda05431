CREATE TABLE `purchases` (
	`partner` text NOT NULL,
	`id` text NOT NULL,
	`customer` text NOT NULL,
	`subscription` text NOT NULL,
	`component` text NOT NULL,
	`date` text NOT NULL,
	`quantity` integer NOT NULL,
	`amount` text,
	`body_hash` text NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`partner`, `id`),
	FOREIGN KEY (`partner`,`customer`) REFERENCES `customers`(`partner`,`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner`,`subscription`) REFERENCES `subscriptions`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `purchases_customer_date` ON `purchases` (`partner`,`customer`,`date`,`id`);