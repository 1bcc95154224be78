import type { ModelParameters, ScoringModel } from './model';
import type { Derived } from './derived';
import { ObservationIndex } from './observation-index';
import { References } from './references';
import { INDICATOR_MODULES, type DerivedIndicatorId } from './indicators';

/**
 * What an indicator module reads: the observations, the model's parameters, the shared national
 * references, a memo for figures several modules use (prices, seats), and the other modules.
 */
export interface DeriveContext {
  readonly idx: ObservationIndex;
  readonly params: ModelParameters;
  readonly refs: References;
  memo<T>(key: string, compute: () => T): T;
  derive(id: DerivedIndicatorId, code: string): Derived;
}

/** One derived indicator: how its value, inputs and national reference are computed. */
export interface IndicatorModule {
  id: DerivedIndicatorId;
  derive(ctx: DeriveContext, code: string): Derived;
}

/** Computes derived indicators for one model's parameters and one data set, with shared caches. */
export class Deriver implements DeriveContext {
  readonly params: ModelParameters;
  readonly refs: References;
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly idx: ObservationIndex,
    readonly model: Pick<ScoringModel, 'parameters'>,
  ) {
    this.params = model.parameters;
    this.refs = new References(idx, model.parameters.references.minPopulationCoverage);
  }

  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }

  derive(id: DerivedIndicatorId, code: string): Derived {
    return INDICATOR_MODULES[id].derive(this, code);
  }
}

export { ObservationIndex };
