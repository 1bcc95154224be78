import { performance } from 'node:perf_hooks';
import { loadSnapshot, syntheticWorld } from './scoring.bench';
import { ObservationIndex } from '../src/domain/scoring/observation-index';
import { scoreModels } from '../src/domain/scoring/engine';
import { MODELS } from '../src/domain/scoring/models';
import type { Observation } from '../src/domain/observation';
const n = Number(process.argv[2] ?? 357), mode = process.argv[3] ?? 'file', what = process.argv[4] ?? 'index';
const real = loadSnapshot();
let w = n === 357 ? real : syntheticWorld(real, n);
if (mode === 'store') {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...w.observations].sort((a, b) => cmp(a.indicator, b.indicator) || cmp(a.regionCode, b.regionCode) || cmp(a.period, b.period));
  w = { observations: sorted.map((o) => ({ ...o })), kommuneCodes: w.kommuneCodes };
}
(globalThis as any).gc?.();
const runs = n === 357 ? 200 : 5;
const ts: number[] = []; let sink = 0;
for (let i = 0; i < runs + (n === 357 ? 50 : 1); i++) {
  const t0 = performance.now();
  if (what === 'index') { const x = new ObservationIndex(w.observations, w.kommuneCodes); sink += x.periods('population').length; }
  else { const r = scoreModels(MODELS, w.observations, w.kommuneCodes); for (const v of r.values()) sink += v.length; }
  const t = performance.now() - t0;
  if (i >= (n === 357 ? 50 : 1)) ts.push(t);
}
ts.sort((a, b) => a - b);
console.log(n, mode, what, 'median', ts[Math.floor(ts.length / 2)]!.toFixed(2), 'min', ts[0]!.toFixed(2), sink > 0);
