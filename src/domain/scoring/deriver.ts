import type { ModelParameters, ScoringModel } from './model';
import type { Derived } from './derived';
import { ObservationIndex } from './observation-index';
import { References } from './references';
import { INDICATOR_MODULES, type DerivedIndicatorId } from './indicators';

/** A model parameter an indicator module may read (`references` is read by every module, through `refs`). */
export type ParameterKey = Exclude<keyof ModelParameters, 'references'>;

/**
 * What an indicator module reads: the observations, the model's parameters, the shared national
 * references, a memo for figures several modules use (prices, seats), and the other modules.
 */
export interface DeriveContext {
  readonly idx: ObservationIndex;
  readonly params: ModelParameters;
  readonly refs: References;
  /** A figure computed once per data set. The key must name every parameter value the figure depends on. */
  memo<T>(key: string, compute: () => T): T;
  derive(id: DerivedIndicatorId, code: string): Derived;
}

/** One derived indicator: how its value, inputs and national reference are computed. */
export interface IndicatorModule {
  id: DerivedIndicatorId;
  /**
   * The parameters it reads, directly or through the modules it derives from. Models whose values
   * of these are equal share its derivations (a test records every read and checks this list).
   */
  reads: readonly ParameterKey[];
  derive(ctx: DeriveContext, code: string): Derived;
}

/**
 * What every model scoring one data set shares: the memos, the national references (per coverage
 * minimum) and each indicator's column of derivations per distinct parameter values. Two models
 * with the same years of population change derive that indicator once, not twice.
 */
export class DerivationCache {
  readonly memos = new Map<string, unknown>();
  readonly columns = new Map<string, readonly Derived[]>();
  private readonly references = new Map<number, References>();

  constructor(readonly idx: ObservationIndex) {}

  refs(minPopulationCoverage: number): References {
    let r = this.references.get(minPopulationCoverage);
    if (!r) this.references.set(minPopulationCoverage, (r = new References(this.idx, minPopulationCoverage)));
    return r;
  }
}

/** Computes derived indicators for one model's parameters and one data set, with shared caches. */
export class Deriver implements DeriveContext {
  readonly params: ModelParameters;
  readonly refs: References;
  private readonly keys = new Map<DerivedIndicatorId, string>();

  constructor(
    readonly idx: ObservationIndex,
    readonly model: Pick<ScoringModel, 'parameters'>,
    readonly shared: DerivationCache = new DerivationCache(idx),
  ) {
    if (shared.idx !== idx) throw new Error('a DerivationCache serves the index it was made for');
    this.params = model.parameters;
    this.refs = shared.refs(model.parameters.references.minPopulationCoverage);
  }

  memo<T>(key: string, compute: () => T): T {
    const memos = this.shared.memos;
    if (memos.has(key)) return memos.get(key) as T;
    const v = compute();
    memos.set(key, v);
    return v;
  }

  derive(id: DerivedIndicatorId, code: string): Derived {
    const col = this.shared.columns.get(this.columnKey(id));
    if (col) {
      const pos = this.idx.positionOf(code);
      if (pos !== undefined) return col[pos]!;
    }
    return INDICATOR_MODULES[id].derive(this, code);
  }

  /** The indicator for every kommune, aligned with `idx.kommuneCodes`; computed once per distinct parameter values. */
  column(id: DerivedIndicatorId): readonly Derived[] {
    const key = this.columnKey(id);
    let col = this.shared.columns.get(key);
    if (!col) {
      col = this.idx.kommuneCodes.map((code) => this.derive(id, code));
      this.shared.columns.set(key, col);
    }
    return col;
  }

  /** The indicator and the values of the parameters it reads: equal keys, equal derivations. */
  private columnKey(id: DerivedIndicatorId): string {
    let key = this.keys.get(id);
    if (key === undefined) {
      const p = this.params;
      key = `${id}|${p.references.minPopulationCoverage}|${JSON.stringify(INDICATOR_MODULES[id].reads.map((k) => p[k]))}`;
      this.keys.set(id, key);
    }
    return key;
  }
}

export { ObservationIndex };
