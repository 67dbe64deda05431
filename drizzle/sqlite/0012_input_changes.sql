CREATE TABLE `input_changes` (
	`partner` text NOT NULL,
	`customer` text NOT NULL,
	`bucket` text NOT NULL,
	`from_ms` integer,
	`from_period` text,
	`seq` integer NOT NULL,
	PRIMARY KEY(`partner`, `customer`, `bucket`)
);
--> statement-breakpoint
CREATE INDEX `input_changes_seq` ON `input_changes` (`partner`,`customer`,`seq`);--> statement-breakpoint
ALTER TABLE `statements` ADD `inputs_rev` text;--> statement-breakpoint
CREATE INDEX `worklogs_request` ON `worklogs` (`partner`,`request`);