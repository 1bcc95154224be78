import type { ScoringModel } from '../model';
import { praksis2026 } from './praksis-2026';
import { seed2026 } from './seed-2026';

/**
 * Every model tomte scores, in the order they are listed to users. Each score run scores all of
 * them; the deployment's default (`TOMTE_MODEL`) is what answers use when no model is named.
 */
export const MODELS: readonly ScoringModel[] = [praksis2026, seed2026];

/**
 * The default model: the one that validates better on the bundled known cases
 * (`tomte valider data/fasit/kjente-tilfeller.csv`; figures in README and docs/scoring.md).
 */
export const DEFAULT_MODEL_ID = praksis2026.id;

export const MODEL_IDS = MODELS.map((m) => m.id) as [string, ...string[]];

export function modelById(id: string): ScoringModel | undefined {
  return MODELS.find((m) => m.id === id);
}
