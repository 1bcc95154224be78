import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JOBS } from '../../jobs/registry';
import { SHIPPED_MIGRATIONS } from '../../adapters/workers/migrations';
import { shippedMigrationCount } from '../../adapters/db/migrate';

const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');

describe('wrangler.toml', () => {
  it('has exactly the cron triggers of jobs/registry.ts', () => {
    const m = /^crons\s*=\s*\[(.*)\]\s*$/m.exec(toml);
    expect(m).not.toBeNull();
    const crons = [...m![1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]);
    expect([...crons].sort()).toEqual([...new Set(JOBS.map((j) => j.cron))].sort());
  });

  it('runs the Worker entry with nodejs_compat and a Hyperdrive binding', () => {
    expect(toml).toMatch(/^main = "adapters\/workers\/worker\.ts"$/m);
    expect(toml).toMatch(/^compatibility_flags = \["nodejs_compat"\]$/m);
    expect(toml).toMatch(/^\[\[hyperdrive\]\]\nbinding = "HYPERDRIVE"$/m);
  });

  it("the Worker's migration count matches the migrations shipped", () => {
    expect(SHIPPED_MIGRATIONS).toBe(shippedMigrationCount());
  });
});
