CREATE TABLE `credit_notes` (
	`partner` text NOT NULL,
	`number` text NOT NULL,
	`invoice` text NOT NULL,
	`customer` text NOT NULL,
	`period` text NOT NULL,
	`total` text NOT NULL,
	`body` text NOT NULL,
	`issued_at` text NOT NULL,
	PRIMARY KEY(`partner`, `number`)
);
--> statement-breakpoint
CREATE INDEX `credit_notes_invoice` ON `credit_notes` (`partner`,`invoice`);--> statement-breakpoint
CREATE INDEX `credit_notes_customer` ON `credit_notes` (`partner`,`customer`,`period`);--> statement-breakpoint
CREATE TABLE `voided_invoices` (
	`partner` text NOT NULL,
	`number` text NOT NULL,
	`customer` text NOT NULL,
	`period` text NOT NULL,
	`plan_hash` text NOT NULL,
	`inputs_digest` text NOT NULL,
	`body` text NOT NULL,
	`issued_at` text NOT NULL,
	`reason` text NOT NULL,
	`voided_at` text NOT NULL,
	PRIMARY KEY(`partner`, `number`)
);
--> statement-breakpoint
CREATE INDEX `voided_invoices_customer` ON `voided_invoices` (`partner`,`customer`,`period`);