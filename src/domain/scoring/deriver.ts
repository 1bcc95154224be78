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
  /**
   * A figure of one kommune that several modules read (its council's seats), computed once while
   * that kommune is being scored and forgotten when the next one is. The key names the parameters.
   */
  kommuneMemo<T>(code: string, key: string, compute: () => T): T;
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
 * An indicator for every kommune, aligned with `idx.kommuneCodes`, as numbers only: what ranking
 * and national shares read. The full derivation (inputs, reference, detail) of a kommune is made
 * again when its score is built (`Deriver.derive`), so a data set of 100,000 kommuner never holds
 * millions of derivation objects at once (docs/speed.md).
 */
export interface DerivedColumn {
  /** 1 where the indicator has a value. */
  readonly ok: Uint8Array;
  /** The value; NaN where there is none. */
  readonly value: Float64Array;
  /** The population behind a per-1,000 rate (`Derived.base`); NaN where there is none. */
  readonly base: Float64Array;
}

/**
 * What every model scoring one data set shares: the memos, the national references (per coverage
 * minimum), each indicator's column of values per distinct parameter values, and the derivations
 * of the kommune being scored. Two models with the same years of population change derive that
 * indicator once, not twice.
 */
export class DerivationCache {
  readonly memos = new Map<string, unknown>();
  readonly columns = new Map<string, DerivedColumn>();
  private readonly references = new Map<number, References>();
  private kommune: string | undefined;
  private current = new Map<string, unknown>();

  constructor(readonly idx: ObservationIndex) {}

  refs(minPopulationCoverage: number): References {
    let r = this.references.get(minPopulationCoverage);
    if (!r) this.references.set(minPopulationCoverage, (r = new References(this.idx, minPopulationCoverage)));
    return r;
  }

  /** What has been derived for this kommune; what was kept for the kommune before it is forgotten. */
  of(code: string): Map<string, unknown> {
    if (code !== this.kommune) {
      // A new Map, not clear(): a cleared Map's old table points to its new one, so once a table
      // is promoted, the garbage collector's young-generation passes keep every later kommune's
      // derivations alive through that chain until a full collection (measured at 100,000
      // kommuner: about 1.4 GB promoted per run instead of about 10 MB).
      this.current = new Map();
      this.kommune = code;
    }
    return this.current;
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

  kommuneMemo<T>(code: string, key: string, compute: () => T): T {
    const k = `memo|${key}`;
    const kept = this.shared.of(code);
    if (kept.has(k)) return kept.get(k) as T;
    const v = compute();
    this.shared.of(code).set(k, v);
    return v;
  }

  /** The indicator of one kommune with its inputs; derived once per kommune while it is being scored. */
  derive(id: DerivedIndicatorId, code: string): Derived {
    const key = this.columnKey(id);
    const hit = this.shared.of(code).get(key) as Derived | undefined;
    if (hit !== undefined) return hit;
    const d = INDICATOR_MODULES[id].derive(this, code);
    // Asked again: deriving may have looked at another kommune.
    this.shared.of(code).set(key, d);
    return d;
  }

  /**
   * The values of these indicators for every kommune; computed once per distinct parameter values,
   * kommune by kommune, so indicators that read the same figures of one kommune share them.
   */
  columns(ids: readonly DerivedIndicatorId[]): DerivedColumn[] {
    const keys = ids.map((id) => this.columnKey(id));
    const todo: { id: DerivedIndicatorId; key: string; col: DerivedColumn }[] = [];
    const n = this.idx.kommuneCodes.length;
    ids.forEach((id, j) => {
      const key = keys[j]!;
      if (!this.shared.columns.has(key) && !todo.some((t) => t.key === key)) {
        todo.push({ id, key, col: { ok: new Uint8Array(n), value: new Float64Array(n).fill(NaN), base: new Float64Array(n).fill(NaN) } });
      }
    });
    if (todo.length > 0) {
      for (let i = 0; i < n; i++) {
        const code = this.idx.moveTo(i);
        for (const { id, col } of todo) {
          const d = this.derive(id, code);
          if (!d.ok) continue;
          col.ok[i] = 1;
          col.value[i] = d.value;
          if (d.base !== undefined) col.base[i] = d.base;
        }
      }
      for (const t of todo) this.shared.columns.set(t.key, t.col);
    }
    return keys.map((k) => this.shared.columns.get(k)!);
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
