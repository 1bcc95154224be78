import type { KommuneScore, Tier, TierStatus, CategoryScore, GateResult, RuleResult } from '../domain/scoring/engine';
import type { KeyIndicator } from '../domain/scoring/key-indicators';
import type { StoredScore } from '../store/repos/scores';

/** A kommune's score as the read side uses it: the engine's result plus its card figures. */
export type ScoredKommune = Omit<KommuneScore, 'modelId' | 'modelVersion'> & { keyIndicators: KeyIndicator[] };

export function toStored(s: KommuneScore, keyIndicators: KeyIndicator[]): StoredScore {
  return {
    kommuneCode: s.kommuneCode,
    total: s.total,
    maxPossible: s.maxPossible,
    coverage: s.coverage,
    tier: s.tier,
    tierStatus: s.tierStatus,
    categories: { items: s.categories, heldByHysteresis: s.heldByHysteresis, gates: s.gates },
    rules: s.rules,
    keyIndicators,
  };
}

/**
 * Reads a stored score back. The jsonb columns were written by `toStored` from the same types in
 * this codebase, so their shape is known; this is the one place that asserts it.
 */
export function fromStored(s: StoredScore): ScoredKommune {
  // The details are read when first used: a read model built from a saved file keeps each
  // kommune's rules and inputs as JSON text until a command needs them (issue 17).
  const cats = () => s.categories as { items: CategoryScore[]; heldByHysteresis: boolean; gates?: GateResult[] };
  return {
    kommuneCode: s.kommuneCode,
    total: s.total,
    maxPossible: s.maxPossible,
    coverage: s.coverage,
    tier: s.tier as Tier | null,
    tierStatus: s.tierStatus as TierStatus,
    get heldByHysteresis() {
      return cats().heldByHysteresis;
    },
    get categories() {
      return cats().items;
    },
    get rules() {
      return s.rules as RuleResult[];
    },
    // Runs stored before gates existed have none.
    get gates() {
      return cats().gates ?? [];
    },
    get keyIndicators() {
      return s.keyIndicators as KeyIndicator[];
    },
  };
}
