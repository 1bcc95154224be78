/**
 * The soak's pipeline (test/support/soak.ts, run 1,000 times by bench/soak.bench.ts) for a few
 * cycles on PGlite, a revision every third cycle: the refresh, rescore, detection and dispatch
 * jobs deliver every alert the independent ledger expects exactly once, and leave nothing behind.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openSoak, type Soak } from '../../support/soak';

let soak: Soak;
beforeAll(async () => {
  soak = await openSoak({ reviseEvery: 3 });
});
afterAll(async () => {
  await soak?.close();
});

it('6 cycles, 2 revisions: 0 lost, 0 duplicated, 0 unexpected, nothing pending or failed', async () => {
  const cycles = [];
  for (let i = 0; i < 6; i++) cycles.push(await soak.cycle());
  expect(cycles.filter((c) => c.revised !== null).map((c) => c.revised)).toEqual(['13563', '05940']);
  const o = await soak.outcome();
  // The set-up refresh alone moves 5626 into Tier 1: the ledger has something to check.
  expect(o.expectedDeliveries).toBeGreaterThan(0);
  expect({ lost: o.lost, duplicated: o.duplicated, unexpected: o.unexpected, backlog: o.backlog }).toEqual({ lost: [], duplicated: [], unexpected: [], backlog: { pending: 0, failed: 0 } });
  expect(o.posts).toBe(o.expectedDeliveries);
  expect(o.deliveries).toBe(o.expectedDeliveries);
});
