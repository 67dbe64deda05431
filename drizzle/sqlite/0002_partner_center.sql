ALTER TABLE `customers` ADD `tenant_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `customers_tenant` ON `customers` (`partner`,`tenant_id`);--> statement-breakpoint
ALTER TABLE `spend` ADD `retail` text;--> statement-breakpoint
ALTER TABLE `spend` ADD `source` text;--> statement-breakpoint
ALTER TABLE `spend` ADD `invoice` text;