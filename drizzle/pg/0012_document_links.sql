CREATE TABLE "document_links" (
	"id_hash" text COLLATE "C" PRIMARY KEY NOT NULL,
	"partner" text COLLATE "C" NOT NULL,
	"path" text COLLATE "C" NOT NULL,
	"created_by" text COLLATE "C" NOT NULL,
	"created_at" text COLLATE "C" NOT NULL,
	"expires_ms" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "document_links_expiry" ON "document_links" USING btree ("expires_ms");