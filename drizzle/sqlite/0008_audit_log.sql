CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner` text NOT NULL,
	`at` text NOT NULL,
	`at_ms` integer NOT NULL,
	`token` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity` ON `audit_log` (`partner`,`entity`,`entity_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_partner` ON `audit_log` (`partner`,`seq`);