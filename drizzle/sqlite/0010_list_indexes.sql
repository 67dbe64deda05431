CREATE INDEX `requests_partner_time` ON `requests` (`partner`,`received_ms`,`id`);--> statement-breakpoint
CREATE INDEX `worklogs_partner_time` ON `worklogs` (`partner`,`start_ms`,`id`);