ALTER TABLE "customers" ADD COLUMN "tax_id" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "prices" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "price_as_of" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "worklogs" ADD COLUMN "component" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "worklogs" ADD COLUMN "billable" boolean;