CREATE TABLE "alert_threads" (
	"platform" text NOT NULL,
	"target" text NOT NULL,
	"kommune_code" text NOT NULL,
	"message_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alert_threads_platform_target_kommune_code_pk" PRIMARY KEY("platform","target","kommune_code")
);
