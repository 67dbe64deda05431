CREATE TABLE "input_changes" (
	"partner" text COLLATE "C" NOT NULL,
	"customer" text COLLATE "C" NOT NULL,
	"bucket" text COLLATE "C" NOT NULL,
	"from_ms" bigint,
	"from_period" text COLLATE "C",
	"seq" bigint NOT NULL,
	CONSTRAINT "input_changes_partner_customer_bucket_pk" PRIMARY KEY("partner","customer","bucket")
);
--> statement-breakpoint
ALTER TABLE "statements" ADD COLUMN "inputs_rev" text COLLATE "C";--> statement-breakpoint
CREATE INDEX "input_changes_seq" ON "input_changes" USING btree ("partner","customer","seq");--> statement-breakpoint
CREATE INDEX "worklogs_request" ON "worklogs" USING btree ("partner","request");