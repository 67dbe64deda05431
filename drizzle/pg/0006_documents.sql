CREATE TABLE "credit_notes" (
	"partner" text COLLATE "C" NOT NULL,
	"number" text COLLATE "C" NOT NULL,
	"invoice" text COLLATE "C" NOT NULL,
	"customer" text COLLATE "C" NOT NULL,
	"period" text COLLATE "C" NOT NULL,
	"total" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"issued_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "credit_notes_partner_number_pk" PRIMARY KEY("partner","number")
);
--> statement-breakpoint
CREATE TABLE "voided_invoices" (
	"partner" text COLLATE "C" NOT NULL,
	"number" text COLLATE "C" NOT NULL,
	"customer" text COLLATE "C" NOT NULL,
	"period" text COLLATE "C" NOT NULL,
	"plan_hash" text COLLATE "C" NOT NULL,
	"inputs_digest" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"issued_at" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C" NOT NULL,
	"voided_at" text COLLATE "C" NOT NULL,
	CONSTRAINT "voided_invoices_partner_number_pk" PRIMARY KEY("partner","number")
);
--> statement-breakpoint
CREATE INDEX "credit_notes_invoice" ON "credit_notes" USING btree ("partner","invoice");--> statement-breakpoint
CREATE INDEX "credit_notes_customer" ON "credit_notes" USING btree ("partner","customer","period");--> statement-breakpoint
CREATE INDEX "voided_invoices_customer" ON "voided_invoices" USING btree ("partner","customer","period");