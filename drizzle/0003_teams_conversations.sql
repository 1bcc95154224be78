CREATE TABLE "teams_conversations" (
	"conversation_id" text PRIMARY KEY NOT NULL,
	"service_url" text NOT NULL,
	"tenant_id" text,
	"bot_id" text NOT NULL,
	"bot_name" text,
	"conversation_type" text,
	"team_id" text,
	"name" text,
	"last_user_id" text,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"status_at" timestamp with time zone
);
