CREATE TABLE `document_links` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`partner` text NOT NULL,
	`path` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `document_links_expiry` ON `document_links` (`expires_ms`);