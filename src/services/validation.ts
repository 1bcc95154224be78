import type { Kommune } from '../domain/kommune/types';
import type { Localized } from '../domain/localized';
import type { Tier } from '../domain/scoring/engine';
import { randomExpectation, rankingMetrics, type RankingMetrics } from '../domain/scoring/validate';
import { parseCsvRows } from '../lib/csv';
import type { ReadModel } from './read-model';

/**
 * `tomte valider`: checks every model's ranking, and two baselines, against a list of kommuner
 * with documented outcomes (docs/scoring.md, "Validation"). The list is a sample to check with,
 * not data to fit: nothing here changes a model.
 */

/** A problem with the case list, naming the line (1 = the header) so it can be fixed. */
export class ValidationInputError extends Error {
  constructor(readonly problems: { line: number | null; message: Localized }[]) {
    super(problems.map((p) => `${p.line === null ? '' : `line ${p.line}: `}${p.message.en}`).join('; '));
    this.name = 'ValidationInputError';
  }
}

export interface CaseInput {
  /** Kommune number or name as written. */
  kommune: string;
  /** false for a documented case against (the fasit's `negative`); true or absent for a case for. */
  positive?: boolean;
  /** Line in the file (1 = header) or position in a JSON list (1-based), for messages. */
  line: number | null;
}

export interface ResolvedCase {
  kommune: Kommune;
  /** At least one row for the kommune is a case for (the kommune counts in the metrics). */
  positive: boolean;
  /** Rows of the input that named this kommune. */
  lines: (number | null)[];
  /** The pre-2024 kommune an old number or name was mapped from. */
  mappedFrom: { code: string; name: string } | null;
}

export interface RankingReport extends Omit<RankingMetrics, 'ranks'> {
  id: string;
  kind: 'model' | 'baseline';
  label: Localized;
  /** Per listed kommune: rank (1 = top), percentile and, for models, the tier. */
  cases: { code: string; rank: number | null; percentile: number | null; tier: Tier | null | undefined }[];
}

export interface ValidationReport {
  /** Kommuner ranked (the 2024 division). */
  kommuner: number;
  cases: ResolvedCase[];
  /** Rows merged because they named the same kommune. */
  duplicates: number;
  rankings: RankingReport[];
  /** The model that validates best on this list (highest AUC, then mean percentile). */
  best: string | null;
}

const CODE_COLUMNS = ['kommunenummer', 'kommunenr', 'knr', 'kommune', 'code', 'municipality'];
const TRUE = new Set(['1', 'true', 'ja', 'yes', 'positive', 'positiv', 'pos', 'for']);
const FALSE = new Set(['0', 'false', 'nei', 'no', 'negative', 'negativ', 'neg', 'mot', 'against']);

const L = (nb: string, en: string): Localized => ({ nb, en });

function labelOf(raw: string | undefined, line: number | null): boolean | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ValidationInputError([{ line, message: L(`ukjent merke «${raw}» (bruk 1/0, ja/nei eller positive/negative)`, `unknown label "${raw}" (use 1/0, yes/no or positive/negative)`) }]);
}

/**
 * Reads a case list: CSV with a header naming the kommune column (`kommunenummer`, `kommune`,
 * `code`, …) and optionally `label` (1/0, ja/nei, positive/negative) or the fasit's
 * `evidence_type` (`negative` = a case against); or JSON — an array of numbers/names, or of
 * objects `{ kommunenummer | kommune | code, label? }`, or `{ cases: [...] }`.
 */
export function parseCaseList(text: string, format: 'csv' | 'json'): CaseInput[] {
  return format === 'json' ? parseJsonCases(text) : parseCsvCases(text);
}

function parseCsvCases(text: string): CaseInput[] {
  const rows = parseCsvRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
  const col = CODE_COLUMNS.map((c) => header.indexOf(c)).find((i) => i >= 0);
  if (col === undefined) {
    throw new ValidationInputError([{ line: 1, message: L(`fant ingen kolonne for kommunen (${CODE_COLUMNS.slice(0, 4).join(', ')})`, `no kommune column found (${CODE_COLUMNS.slice(0, 4).join(', ')})`) }]);
  }
  const labelCol = header.indexOf('label');
  const evidenceCol = header.indexOf('evidence_type');
  const out: CaseInput[] = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    if (r.length === 1 && r[0]!.trim() === '') return;
    const kommune = (r[col] ?? '').trim();
    if (kommune === '') throw new ValidationInputError([{ line, message: L('kommunen mangler', 'the kommune is missing') }]);
    let positive = labelCol >= 0 ? labelOf(r[labelCol], line) : undefined;
    if (positive === undefined && evidenceCol >= 0) positive = (r[evidenceCol] ?? '').trim().toLowerCase() !== 'negative';
    out.push({ kommune, line, ...(positive === undefined ? {} : { positive }) });
  });
  return out;
}

function parseJsonCases(text: string): CaseInput[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ValidationInputError([{ line: null, message: L('ugyldig JSON', 'invalid JSON') }]);
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { cases?: unknown }).cases) ? (doc as { cases: unknown[] }).cases : null;
  if (!list) throw new ValidationInputError([{ line: null, message: L('forventet en liste eller { "cases": [...] }', 'expected a list or { "cases": [...] }') }]);
  return list.map((item, i): CaseInput => {
    const line = i + 1;
    if (typeof item === 'string' || typeof item === 'number') return { kommune: String(item), line };
    if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      const k = CODE_COLUMNS.map((c) => o[c]).find((v) => typeof v === 'string' || typeof v === 'number');
      if (k !== undefined) {
        const label = o.label;
        const positive = typeof label === 'boolean' ? label : labelOf(label === undefined || label === null ? undefined : String(label), line);
        return { kommune: String(k), line, ...(positive === undefined ? {} : { positive }) };
      }
    }
    throw new ValidationInputError([{ line, message: L('element uten kommunenummer', 'an item without a kommune number') }]);
  });
}

/**
 * Resolves the list against the kommune registry as everywhere else: a pre-2024 number or name is
 * mapped with a note, a split kommune or an unknown one is an error naming its line; rows that
 * name the same kommune are merged (a case for wins over a case against).
 */
export function resolveCases(rm: ReadModel, inputs: readonly CaseInput[]): { cases: ResolvedCase[]; duplicates: number } {
  const problems: { line: number | null; message: Localized }[] = [];
  const byCode = new Map<string, ResolvedCase>();
  let duplicates = 0;
  for (const inp of inputs) {
    const res = rm.registry.resolve(inp.kommune);
    if (res.kind === 'ambiguous') {
      const names = res.candidates.map((k) => `${k.code} ${k.name}`).join(', ');
      problems.push({
        line: inp.line,
        message:
          res.reason === 'split'
            ? L(`«${inp.kommune}» ble delt i 2024 (${names}): oppgi den nye kommunen`, `"${inp.kommune}" was split in 2024 (${names}): give the new kommune`)
            : L(`«${inp.kommune}» kan være flere kommuner (${names})`, `"${inp.kommune}" matches several kommuner (${names})`),
      });
      continue;
    }
    if (res.kind === 'not-found') {
      const hint = res.suggestions.length > 0 ? res.suggestions.map((k) => `${k.code} ${k.name}`).join(', ') : null;
      problems.push({
        line: inp.line,
        message: L(`fant ingen kommune «${inp.kommune}»${hint ? ` (mente du ${hint}?)` : ''}`, `no kommune "${inp.kommune}"${hint ? ` (did you mean ${hint}?)` : ''}`),
      });
      continue;
    }
    const positive = inp.positive ?? true;
    const seen = byCode.get(res.kommune.code);
    if (seen) {
      duplicates++;
      seen.lines.push(inp.line);
      seen.positive ||= positive;
      continue;
    }
    byCode.set(res.kommune.code, { kommune: res.kommune, positive, lines: [inp.line], mappedFrom: res.previous ?? null });
  }
  if (problems.length > 0) throw new ValidationInputError(problems);
  if (byCode.size === 0) throw new ValidationInputError([{ line: null, message: L('listen har ingen kommuner', 'the list has no kommuner') }]);
  return { cases: [...byCode.values()], duplicates };
}

/** Validates every model held by the read model (or the ones named) and the two baselines. */
export function validateModels(rm: ReadModel, inputs: readonly CaseInput[], opts: { models?: readonly string[] } = {}): ValidationReport {
  const { cases, duplicates } = resolveCases(rm, inputs);
  const codes = rm.registry.all().map((k) => k.code);
  const positives = cases.filter((c) => c.positive).map((c) => c.kommune.code);
  const listed = cases.map((c) => c.kommune.code);
  const views = rm.all().filter((v) => !opts.models || opts.models.includes(v.model.id));
  const rankings: RankingReport[] = [];
  for (const v of views) {
    const m = rankingMetrics(codes, (c) => v.scores.get(c)?.total ?? null, positives);
    const all = rankingMetrics(codes, (c) => v.scores.get(c)?.total ?? null, listed);
    rankings.push({
      id: v.model.id,
      kind: 'model',
      label: v.model.title,
      ...summary(m),
      cases: all.ranks.map((r) => ({ code: r.code, rank: r.rank, percentile: r.percentile, tier: v.scores.get(r.code)?.tier ?? null })),
    });
  }
  // Population on 1 January of the latest year, as every card shows it.
  const population = (c: string) => rm.scores.get(c)?.keyIndicators.find((k) => k.id === 'population')?.value ?? null;
  const pop = rankingMetrics(codes, population, positives);
  const popAll = rankingMetrics(codes, population, listed);
  rankings.push({
    id: 'befolkning',
    kind: 'baseline',
    label: L('Grunnlinje: sortert etter folketall', 'Baseline: sorted by population'),
    ...summary(pop),
    cases: popAll.ranks.map((r) => ({ code: r.code, rank: r.rank, percentile: r.percentile, tier: undefined })),
  });
  rankings.push({
    id: 'tilfeldig',
    kind: 'baseline',
    label: L('Grunnlinje: tilfeldig rekkefølge (forventning)', 'Baseline: random order (expectation)'),
    ...randomExpectation(positives.length, codes.length),
    cases: listed.map((code) => ({ code, rank: null, percentile: null, tier: undefined })),
  });
  const models = rankings.filter((r) => r.kind === 'model' && Number.isFinite(r.auc));
  models.sort((a, b) => b.auc - a.auc || b.meanPercentile - a.meanPercentile);
  return { kommuner: codes.length, cases, duplicates, rankings, best: models[0]?.id ?? null };
}

/** The report as plain JSON (the API, `--json`, the CLI's channel): kommuner by code, name and county only. */
export type ValidationReportJson = Omit<ValidationReport, 'cases'> & { cases: (Omit<ResolvedCase, 'kommune'> & { kommune: { code: string; name: string; county: string } })[] };

export function reportJson(r: ValidationReport): ValidationReportJson {
  return { ...r, cases: r.cases.map((c) => ({ ...c, kommune: { code: c.kommune.code, name: c.kommune.name, county: c.kommune.countyName } })) };
}

function summary(m: RankingMetrics): Omit<RankingMetrics, 'ranks'> {
  return { n: m.n, meanPercentile: m.meanPercentile, top25: m.top25, top50: m.top50, auc: m.auc };
}
