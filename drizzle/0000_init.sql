CREATE TABLE "kommuner" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_norwegian" text NOT NULL,
	"name_sami" text,
	"sami_language" text,
	"name_kven" text,
	"county_code" text NOT NULL,
	"county_name" text NOT NULL,
	"county_name_official" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kommuner_code_format" CHECK ("kommuner"."code" ~ '^[0-9]{4}$')
);
--> statement-breakpoint
CREATE TABLE "kommune_code_changes" (
	"old_code" text NOT NULL,
	"old_name" text NOT NULL,
	"new_code" text,
	"status" text NOT NULL,
	"note" text,
	CONSTRAINT "kommune_code_changes_pk" PRIMARY KEY("old_code","old_name"),
	CONSTRAINT "kommune_code_changes_status" CHECK ("kommune_code_changes"."status" in ('samme_kode', 'slatt_inn_eller_omkodet', 'delt', 'delt_eller_ikke_kommune'))
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "observations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"region_code" text NOT NULL,
	"indicator" text NOT NULL,
	"period" text NOT NULL,
	"value" double precision,
	"status" text NOT NULL,
	"unit" text NOT NULL,
	"source" text NOT NULL,
	"source_table" text NOT NULL,
	"published_at" text,
	"fetched_at" text NOT NULL,
	"origin" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "observations_natural_key" UNIQUE("region_code","indicator","period"),
	CONSTRAINT "observations_status" CHECK ("observations"."status" in ('ok', 'missing', 'suppressed', 'not_applicable'))
);
--> statement-breakpoint
CREATE TABLE "raw_responses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "raw_responses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"method" text NOT NULL,
	"url" text NOT NULL,
	"status" integer NOT NULL,
	"content_type" text,
	"content_hash" text NOT NULL,
	"bytes" integer NOT NULL,
	"body" text,
	"fetched_at" timestamp with time zone NOT NULL,
	CONSTRAINT "raw_responses_url_content" UNIQUE("url","content_hash")
);
--> statement-breakpoint
CREATE TABLE "score_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "score_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"model_id" text NOT NULL,
	"model_version" text NOT NULL,
	"trigger" text NOT NULL,
	"input_fingerprint" text NOT NULL,
	"kommuner_count" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	CONSTRAINT "score_runs_model_input" UNIQUE("model_id","model_version","input_fingerprint")
);
--> statement-breakpoint
CREATE TABLE "scores" (
	"run_id" bigint NOT NULL,
	"kommune_code" text NOT NULL,
	"total" double precision NOT NULL,
	"max_possible" double precision NOT NULL,
	"coverage" double precision NOT NULL,
	"tier" integer,
	"tier_status" text NOT NULL,
	"categories" jsonb NOT NULL,
	"rules" jsonb NOT NULL,
	"key_indicators" jsonb NOT NULL,
	CONSTRAINT "scores_pk" PRIMARY KEY("run_id","kommune_code"),
	CONSTRAINT "scores_coverage_range" CHECK ("scores"."coverage" >= 0 and "scores"."coverage" <= 1)
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "job_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"job" text NOT NULL,
	"slot" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"summary" jsonb,
	"error" text,
	CONSTRAINT "job_runs_job_slot" UNIQUE("job","slot"),
	CONSTRAINT "job_runs_status" CHECK ("job_runs"."status" in ('running', 'ok', 'failed', 'skipped'))
);
--> statement-breakpoint
ALTER TABLE "scores" ADD CONSTRAINT "scores_run_id_score_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."score_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "observations_indicator_period_idx" ON "observations" USING btree ("indicator","period");--> statement-breakpoint
CREATE INDEX "raw_responses_url_fetched_idx" ON "raw_responses" USING btree ("url","fetched_at");--> statement-breakpoint
CREATE INDEX "scores_kommune_code_idx" ON "scores" USING btree ("kommune_code");