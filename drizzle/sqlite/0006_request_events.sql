CREATE TABLE `request_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner` text NOT NULL,
	`request` text NOT NULL,
	`id` text NOT NULL,
	`at` text NOT NULL,
	`at_ms` integer NOT NULL,
	`type` text NOT NULL,
	`status` text,
	`severity` text,
	`body_hash` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`partner`,`request`) REFERENCES `requests`(`partner`,`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `request_events_id` ON `request_events` (`partner`,`request`,`id`);--> statement-breakpoint
CREATE INDEX `request_events_order` ON `request_events` (`partner`,`request`,`at_ms`,`seq`);