DROP INDEX `requests_customer_time`;--> statement-breakpoint
CREATE INDEX `requests_customer_time` ON `requests` (`partner`,`customer`,`received_ms`,`id`);--> statement-breakpoint
DROP INDEX `spend_customer_period`;--> statement-breakpoint
CREATE INDEX `spend_customer_period` ON `spend` (`partner`,`customer`,`period`,`id`);--> statement-breakpoint
DROP INDEX `worklogs_customer_time`;--> statement-breakpoint
CREATE INDEX `worklogs_customer_time` ON `worklogs` (`partner`,`customer`,`start_ms`,`id`);