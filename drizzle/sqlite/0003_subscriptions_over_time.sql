ALTER TABLE `customers` ADD `tax_id` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `prices` text;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `price_as_of` text;--> statement-breakpoint
ALTER TABLE `worklogs` ADD `component` text;--> statement-breakpoint
ALTER TABLE `worklogs` ADD `billable` integer;