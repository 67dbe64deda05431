CREATE TABLE "adjustments" (
	"partner" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"customer" text COLLATE "C" NOT NULL,
	"period" text COLLATE "C" NOT NULL,
	"description" text COLLATE "C" NOT NULL,
	"amount" text COLLATE "C" NOT NULL,
	"offering" text COLLATE "C",
	"taxable" boolean NOT NULL,
	"seq" bigint NOT NULL,
	"body_hash" text COLLATE "C" NOT NULL,
	"created_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "adjustments_partner_id_pk" PRIMARY KEY("partner","id")
);
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"partner" text COLLATE "C" NOT NULL,
	"hash" text COLLATE "C" NOT NULL,
	"text" text COLLATE "C" NOT NULL,
	"created_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "plan_versions_partner_hash_pk" PRIMARY KEY("partner","hash")
);
--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_partner_customer_customers_partner_id_fk" FOREIGN KEY ("partner","customer") REFERENCES "public"."customers"("partner","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "adjustments_customer_period" ON "adjustments" USING btree ("partner","customer","period","seq");