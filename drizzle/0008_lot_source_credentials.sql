-- Lot source URLs with a user name or password (https://user:pass@host/…) are no longer accepted
-- (issue 15): the credentials are removed from stored sources, which are paused (the URL most
-- likely does not work without them) and the change is written to the audit trail.
INSERT INTO "audit_log" ("at", "platform", "actor", "action", "subject", "detail")
SELECT now(), 'system', 'tomte', 'lot-source.pause', "id", '{"reason":"credentials removed from the URL"}'::jsonb
FROM "lot_sources"
WHERE "config"->>'url' ~ '^[a-zA-Z]+://[^/?#]*@';
--> statement-breakpoint
UPDATE "lot_sources"
SET "config" = jsonb_set("config", '{url}', to_jsonb(regexp_replace("config"->>'url', '^([a-zA-Z]+://)[^/?#]*@', '\1'))),
    "status" = 'paused',
    "last_error" = 'credentials'
WHERE "config"->>'url' ~ '^[a-zA-Z]+://[^/?#]*@';
