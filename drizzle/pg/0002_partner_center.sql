ALTER TABLE "customers" ADD COLUMN "tenant_id" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "spend" ADD COLUMN "retail" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "spend" ADD COLUMN "source" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "spend" ADD COLUMN "invoice" text COLLATE "C";--> statement-breakpoint
CREATE UNIQUE INDEX "customers_tenant" ON "customers" USING btree ("partner","tenant_id");