CREATE TABLE "source_status" (
	"source" text NOT NULL,
	"dataset" text NOT NULL,
	"publisher_updated" text,
	"last_success_at" timestamp with time zone,
	"last_failure_at" timestamp with time zone,
	"last_error" text,
	"periods" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "source_status_pk" PRIMARY KEY("source","dataset")
);
