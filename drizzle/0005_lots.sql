CREATE TABLE "lot_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"config" jsonb NOT NULL,
	"cadence" text DEFAULT 'daily' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_fetch_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"source_id" text NOT NULL,
	"key" text NOT NULL,
	"kommune_code" text,
	"kommune_share" double precision,
	"crosses_border" boolean DEFAULT false NOT NULL,
	"area_m2" double precision NOT NULL,
	"centroid_lon" double precision NOT NULL,
	"centroid_lat" double precision NOT NULL,
	"zoning_share" double precision,
	"geometry" jsonb NOT NULL,
	"properties" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "lots_pk" PRIMARY KEY("source_id","key")
);
--> statement-breakpoint
CREATE TABLE "plan_initiatives" (
	"source_id" text NOT NULL,
	"key" text NOT NULL,
	"kommune_code" text NOT NULL,
	"national_plan_id" text,
	"plan_name" text NOT NULL,
	"plan_type" text NOT NULL,
	"announced_at" text NOT NULL,
	"link" text,
	"geometry" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "plan_initiatives_pk" PRIMARY KEY("source_id","key")
);
--> statement-breakpoint
CREATE INDEX "lots_kommune_idx" ON "lots" USING btree ("kommune_code");--> statement-breakpoint
CREATE INDEX "plan_initiatives_kommune_idx" ON "plan_initiatives" USING btree ("kommune_code");