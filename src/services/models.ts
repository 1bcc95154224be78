import type { ReadModel } from './read-model';
import { parseCaseList, validateModels, type ValidationReport } from './validation';

/**
 * A model named by a user: its id ("seed-2026"), or the part before the year ("seed",
 * "praksis"); case-insensitive. Undefined when no model the service scores matches.
 */
export function resolveModelName(rm: ReadModel, name: string): ReadModel | undefined {
  const n = name.trim().toLowerCase();
  const views = rm.all();
  return views.find((v) => v.model.id === n) ?? views.find((v) => v.model.id.split('-')[0] === n);
}

const reports = new WeakMap<ReadModel, ValidationReport | null>();

/**
 * Every model checked against the bundled known cases (`data/fasit/kjente-tilfeller.csv`, passed
 * in as `deps.knownCases` by the composition root); null when the deployment has no such list.
 * Computed once per read model (the scores do not change under it).
 */
export function knownCasesReport(rm: ReadModel): ValidationReport | null {
  const primary = rm.primary;
  if (reports.has(primary)) return reports.get(primary)!;
  const text = primary.deps.knownCases;
  const report = text ? validateModels(primary, parseCaseList(text, 'csv')) : null;
  reports.set(primary, report);
  return report;
}
