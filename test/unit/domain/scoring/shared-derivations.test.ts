/**
 * Models scoring one data set share derivations (deriver.ts `DerivationCache`): an indicator is
 * derived once per distinct values of the parameters its module declares in `reads`. These tests
 * hold that declaration to what the modules actually read, and check that sharing changes nothing.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DerivationCache, Deriver, ObservationIndex, type ParameterKey } from '../../../../src/domain/scoring/deriver';
import { scoreAll, scoreModels, scoreSets } from '../../../../src/domain/scoring/engine';
import { INDICATOR_MODULES, type DerivedIndicatorId } from '../../../../src/domain/scoring/indicators';
import type { ModelParameters } from '../../../../src/domain/scoring/model';
import { MODELS } from '../../../../src/domain/scoring/models';
import { parseKommunerCsv } from '../../../../src/sources/snapshot/kommuner';
import { SNAPSHOT_FILES } from '../../../../src/sources/snapshot/observations';

const read = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
const observations = SNAPSHOT_FILES.flatMap((f) => f.parse(read(`data/${f.name}`)));
const kommuneCodes = parseKommunerCsv(read('data/kommuner-2024.csv')).map((k) => k.code);
const ids = Object.keys(INDICATOR_MODULES) as DerivedIndicatorId[];

/** The model's parameters, recording which top-level keys are read. */
function recording(params: ModelParameters, seen: Set<string>): ModelParameters {
  return new Proxy(params, {
    get(target, key, receiver) {
      if (typeof key === 'string') seen.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

describe('shared derivations across models', () => {
  const idx = new ObservationIndex(observations, kommuneCodes);

  it.each(ids)('%s reads no parameter its module does not declare', (id) => {
    for (const model of MODELS) {
      const seen = new Set<string>();
      // A fresh cache per module, so no memo computed by another module hides a read.
      const deriver = new Deriver(idx, { parameters: recording(model.parameters, seen) }, new DerivationCache(idx));
      seen.clear(); // the constructor reads `references` for the shared national references
      for (const code of kommuneCodes) deriver.derive(id, code);
      seen.delete('references');
      for (const key of seen) expect(INDICATOR_MODULES[id].reads, `${id} reads ${key} under ${model.id}`).toContain(key as ParameterKey);
    }
  });

  it('scores every model exactly as when each is scored alone', () => {
    const together = scoreModels(MODELS, observations, kommuneCodes);
    for (const model of MODELS) {
      expect(together.get(model.id), model.id).toEqual(scoreAll({ model, observations, kommuneCodes }));
    }
  });

  it('derives an indicator once when the models read it with the same parameters, and apart when they differ', () => {
    const shared = new DerivationCache(idx);
    const [a, b] = MODELS.map((m) => new Deriver(idx, m, shared));
    expect(a!.columns(['population_change_5y'])[0]).toBe(b!.columns(['population_change_5y'])[0]);
    expect(INDICATOR_MODULES.dwellings_started_per_1000.reads).toContain('dwellingsStarted');
    expect(MODELS[0]!.parameters.dwellingsStarted.years, 'the two models differ in years of dwellings started').not.toBe(MODELS[1]!.parameters.dwellingsStarted.years);
    expect(a!.columns(['dwellings_started_per_1000'])[0]).not.toBe(b!.columns(['dwellings_started_per_1000'])[0]);
    // The column holds the values one kommune's derivation gives.
    const d = a!.derive('population_change_5y', '1804');
    expect(d.ok && d.value).toBe(a!.columns(['population_change_5y'])[0]!.value[kommuneCodes.indexOf('1804')]);
    // While one kommune is scored, its derivations are derived once and shared by both models.
    expect(b!.derive('population_change_5y', '1804')).toBe(d);
  });

  it('builds each kommune’s result the same whatever order the kommuner are asked for in', () => {
    const forward = scoreModels(MODELS, observations, kommuneCodes);
    const sets = scoreSets(MODELS, new ObservationIndex(observations, kommuneCodes));
    // Backwards, one model after the other: the kommune being scored changes at every call.
    for (const set of sets) {
      const backward = kommuneCodes.map((_, i) => kommuneCodes.length - 1 - i).map((i) => set.at(i)).reverse();
      expect(backward, set.modelId).toEqual(forward.get(set.modelId));
    }
  });
});
