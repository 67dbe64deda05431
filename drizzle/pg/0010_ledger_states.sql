CREATE TABLE "ledger_states" (
	"partner" text COLLATE "C" NOT NULL,
	"customer" text COLLATE "C" NOT NULL,
	"period" text COLLATE "C" NOT NULL,
	"stamp" text COLLATE "C" NOT NULL,
	"states" text COLLATE "C" NOT NULL,
	"created_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "ledger_states_partner_customer_period_pk" PRIMARY KEY("partner","customer","period")
);
--> statement-breakpoint
ALTER TABLE "ledger_states" ADD CONSTRAINT "ledger_states_partner_customer_customers_partner_id_fk" FOREIGN KEY ("partner","customer") REFERENCES "public"."customers"("partner","id") ON DELETE no action ON UPDATE no action;