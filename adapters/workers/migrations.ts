/**
 * Migrations shipped with this build (drizzle/meta/_journal.json), checked by the Worker's /readyz.
 * A constant because the Worker has no file system; test/unit/wrangler.test.ts keeps it in step.
 * (Its own module: a Worker's main module may export only handlers.)
 */
export const SHIPPED_MIGRATIONS = 11;
