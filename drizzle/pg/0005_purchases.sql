CREATE TABLE "purchases" (
	"partner" text COLLATE "C" NOT NULL,
	"id" text COLLATE "C" NOT NULL,
	"customer" text COLLATE "C" NOT NULL,
	"subscription" text COLLATE "C" NOT NULL,
	"component" text COLLATE "C" NOT NULL,
	"date" text COLLATE "C" NOT NULL,
	"quantity" integer NOT NULL,
	"amount" text COLLATE "C",
	"body_hash" text COLLATE "C" NOT NULL,
	"created_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "purchases_partner_id_pk" PRIMARY KEY("partner","id")
);
--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_partner_customer_customers_partner_id_fk" FOREIGN KEY ("partner","customer") REFERENCES "public"."customers"("partner","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_partner_subscription_subscriptions_partner_id_fk" FOREIGN KEY ("partner","subscription") REFERENCES "public"."subscriptions"("partner","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "purchases_customer_date" ON "purchases" USING btree ("partner","customer","date","id");