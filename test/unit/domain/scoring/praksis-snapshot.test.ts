/**
 * praksis-2026 on the real bundled snapshot: the acceptance figures of issue 14 (Tier 1 size,
 * unclassified share, a tier for every kommune at the top), the documented example kommune of
 * docs/scoring.md reproduced exactly, and every indicator explained with value, percentile,
 * direction, source and period. Also: seed-2026's totals are those of the engine before the
 * second model existed (test/fixtures/scoring/seed-2026-snapshot-scores.csv).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src/lib/csv';
import { scoreModels, type KommuneScore } from '../../../../src/domain/scoring/engine';
import { ruleReason } from '../../../../src/domain/scoring/explain';
import { praksis2026 } from '../../../../src/domain/scoring/models/praksis-2026';
import { seed2026 } from '../../../../src/domain/scoring/models/seed-2026';
import { parseKommunerCsv } from '../../../../src/sources/snapshot/kommuner';
import { SNAPSHOT_FILES } from '../../../../src/sources/snapshot/observations';

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
const observations = SNAPSHOT_FILES.flatMap((f) => f.parse(read(`data/${f.name}`)));
const kommuneCodes = parseKommunerCsv(read('data/kommuner-2024.csv')).map((k) => k.code);
const both = scoreModels([praksis2026, seed2026], observations, kommuneCodes);
const praksis = both.get('praksis-2026')!;
const seed = both.get('seed-2026')!;
const byCode = new Map(praksis.map((s) => [s.kommuneCode, s]));

const ranking = (scores: readonly KommuneScore[]) => [...scores].sort((a, b) => b.total - a.total || b.coverage - a.coverage);

describe('praksis-2026 on the bundled snapshot (issue 14 acceptance)', () => {
  it('puts 15–45 kommuner in Tier 1', () => {
    const tier1 = praksis.filter((s) => s.tier === 1).length;
    expect(tier1).toBeGreaterThanOrEqual(15);
    expect(tier1).toBeLessThanOrEqual(45);
    expect(tier1).toBe(32); // docs/scoring.md: "where Tier 1 lands"
  });

  it('leaves at most 10 % of kommuner unclassified', () => {
    expect(praksis.filter((s) => s.tier === null).length).toBeLessThanOrEqual(35);
  });

  it('gives every one of the top 25 a tier', () => {
    expect(ranking(praksis).slice(0, 25).every((s) => s.tier !== null)).toBe(true);
  });

  it('explains every indicator: value, percentile, direction, source and period, or why not', () => {
    for (const s of praksis) {
      for (const r of s.rules) {
        const nb = ruleReason(r, 'nb');
        if (r.outcome.k === 'percentile') {
          expect(r.value).not.toBeNull();
          expect(r.period).not.toBeNull();
          expect(r.inputs.length).toBeGreaterThan(0);
          expect(nb).toMatch(/persentil \d+ av \d+ kommuner \((høyere|lavere) er bedre\)/);
        } else {
          expect(r.points).toBeNull();
          expect(r.missing).not.toBeNull();
        }
      }
    }
  });

  it('ROBEK caps the tier: no kommune in the register is in Tier 1', () => {
    const listed = praksis.filter((s) => s.gates.some((g) => g.id === 'robek' && g.triggered));
    expect(listed).toHaveLength(27);
    expect(listed.every((s) => s.tier !== 1)).toBe(true);
  });

  it('ranks only indicators that cover enough of Norway: municipal dwellings and dwellings started wait for the refresh', () => {
    const bodo = byCode.get('1804')!;
    expect(bodo.rules.find((r) => r.ruleId === 'municipal_housing')!.outcome).toMatchObject({ k: 'inactive', have: 70, of: 357 });
    expect(bodo.rules.find((r) => r.ruleId === 'building')!.outcome).toMatchObject({ k: 'inactive', have: 98, of: 357 });
  });
});

describe('the documented example (docs/scoring.md): 1804 Bodø in praksis-2026', () => {
  const s = byCode.get('1804')!;
  const r = (id: string) => s.rules.find((x) => x.ruleId === id)!;
  const pct = (id: string) => {
    const o = r(id).outcome;
    if (o.k !== 'percentile') throw new Error(`${id} is not ranked`);
    return o;
  };

  it('reproduces every indicator: value, rank among the kommuner with a figure, points', () => {
    // [indicator, value, kommuner with a lower value (ties counted half), of how many others, points]
    const expected: [string, number, number, number, number][] = [
      ['growth', 2.0509893455098935, 154, 354, 4.35],
      ['centrality', 793, 291.5, 356, 8.19],
      ['housing_cost', 29.117547541276558, 247, 264, 9.36],
      ['renters', 24.9, 279.5, 356, 7.85],
      ['size', 53638, 338, 356, 14.24],
      ['left_seats', 33.333333333333336, 193, 356, 4.07],
      ['apartments', 28.09, 343, 356, 28.9],
    ];
    for (const [id, value, below, others, points] of expected) {
      expect(r(id).value, id).toBeCloseTo(value, 9);
      expect(pct(id).percentile, id).toBeCloseTo(below / others, 12);
      expect(r(id).points!, id).toBeCloseTo(points, 2);
    }
    // Stability: 5.02 effective parties; fewer is better, so the percentile is turned round.
    expect(r('stability').value).toBeCloseTo(5.0198, 4);
    expect(pct('stability')).toMatchObject({ direction: 'lower' });
    expect(pct('stability').percentile).toBeCloseTo(1 - 222 / 356, 12);
    expect(r('stability').points!).toBeCloseTo(2.82, 2);
  });

  it('reproduces the pillars, the total and the tier', () => {
    expect(s.categories.map((c) => [c.id, c.points])).toEqual([
      ['demand', 29.7],
      ['capacity', 21.1],
      ['feasibility', 28.9],
    ]);
    expect(s).toMatchObject({ total: 79.7, maxPossible: 79.7, coverage: 1, tier: 1, tierStatus: 'complete' });
    expect(s.gates.filter((g) => g.triggered)).toEqual([]);
  });
});

describe('seed-2026 is unchanged by the second model', () => {
  it('every kommune has the total, maximum, coverage and tier of the engine before praksis-2026 existed', () => {
    const before = parseCsv(read('test/fixtures/scoring/seed-2026-snapshot-scores.csv'));
    expect(before).toHaveLength(357);
    const now = new Map(seed.map((s) => [s.kommuneCode, s]));
    const changed = before.filter((b) => {
      const s = now.get(b.kommunenummer!)!;
      return s.total !== Number(b.total) || s.maxPossible !== Number(b.max_possible) || s.coverage !== Number(b.coverage) || String(s.tier ?? '') !== b.tier;
    });
    // Item 4 of issue 14 revives the unemployment rule only where a national figure of the same
    // measure and period exists; the bundled snapshot has none beyond the 17 Telemark kommuner it
    // already scored, so no seed-2026 total changes here (docs/scoring.md lists the silenced rules).
    expect(changed.map((c) => c.kommunenummer)).toEqual([]);
  });
});
