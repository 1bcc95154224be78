CREATE TABLE "kommune_boundaries" (
	"code" text PRIMARY KEY NOT NULL,
	"geometry" jsonb NOT NULL,
	"geometry_hash" text NOT NULL,
	"origin" text NOT NULL,
	"fetched_at" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
