import * as z from 'zod';
import type { HttpClient } from '../../lib/http';
import type { CodeChange } from '../../domain/kommune/types';
import type { Observation } from '../../domain/observation';
import { ind } from '../../domain/indicators';
import { describeSsbError } from './client';
import { parseJsonResponse } from '../json-response';

/** SSB's classification API (KLASS), on the same host as PxWebApi (CC BY 4.0). */
export const KLASS_BASE_URL = 'https://data.ssb.no/api/klass/v1';
/** KLASS 128 "Standard for sentralitet": classes 01–06 at level 1, kommuner with their index (in `notes`) at level 2. */
export const CENTRALITY_CLASSIFICATION = '128';

/** One code of a `codesAt` answer, as the recorded KLASS 131 answer in the probe has it. */
export const klassCodeSchema = z.object({
  code: z.string(),
  parentCode: z.string().nullable(),
  level: z.string(),
  name: z.string(),
  shortName: z.string().nullable().optional(),
  presentationName: z.string().nullable().optional(),
  validFrom: z.string().nullable().optional(),
  validTo: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
});
export type KlassCode = z.infer<typeof klassCodeSchema>;

const codesAtSchema = z.object({ codes: z.array(klassCodeSchema) });

export interface KlassClient {
  /** `GET /classifications/{id}/codesAt?date=…`: the version in force on that date. */
  codesAt(classification: string, date: string): Promise<{ url: string; codes: KlassCode[] }>;
}

export function createKlassClient(http: HttpClient, base: string = KLASS_BASE_URL): KlassClient {
  return {
    async codesAt(classification, date) {
      const url = `${base}/classifications/${classification}/codesAt?date=${date}&language=nb`;
      let text: string;
      try {
        text = (await http.request({ url })).text;
      } catch (err) {
        throw describeSsbError(`KLASS ${classification}`, err);
      }
      return { url, codes: parseJsonResponse(`KLASS ${classification}`, text, codesAtSchema).codes };
    },
  };
}

export interface CentralityContext {
  /** The 2024 kommune codes. */
  kommuneCodes: readonly string[];
  /** Older codes → 2024 codes (the registry's code changes). */
  codeChanges: readonly CodeChange[];
  /** The date the version was asked for (YYYY-MM-DD); its year is the observations' period. */
  date: string;
  url: string;
  fetchedAt: string;
}

export interface CentralityResult {
  observations: Observation[];
  /** 2024 kommuner reached only through an older code (e.g. 5501 through 5401). */
  viaOldCodes: number;
  /** Level-2 codes that are neither a 2024 kommune nor map to one. */
  unmapped: string[];
}

/**
 * KLASS 128 → `centrality_index` (the index in `notes`, 0–1000) and `centrality_class` (1–6 from
 * the parent code), with the same ids, units and meaning as the snapshot's sentralitet.csv. A
 * version keyed by older kommune codes reaches the 2024 codes through the registry's code changes;
 * where several old codes meet in one 2024 kommune they must agree (SSB gives merged kommuner their
 * successor's value), else the run fails. Fails, keeping the previous figures, unless every 2024
 * kommune gets a value: a partial answer never replaces the whole register.
 */
export function centralityObservations(codes: readonly KlassCode[], ctx: CentralityContext): CentralityResult {
  const classes = new Map(codes.filter((c) => c.level === '1').map((c) => [c.code, c]));
  const members = codes.filter((c) => c.level === '2');
  if (classes.size === 0 || members.length === 0) {
    throw new Error(`KLASS ${CENTRALITY_CLASSIFICATION}: the answer has ${classes.size} classes and ${members.length} kommune codes; expected classes 01–06 with the kommuner under them`);
  }
  const current = new Set(ctx.kommuneCodes);
  // A split kommune (1507 → 1508 and 1580) has no one successor: only merges and renumberings count.
  const successor = new Map(ctx.codeChanges.filter((c) => c.newCode && (c.status === 'slatt_inn_eller_omkodet' || c.status === 'samme_kode')).map((c) => [c.oldCode, c.newCode!]));
  const direct = new Map<string, { index: number; cls: KlassCode }>();
  const viaOld = new Map<string, { index: number; cls: KlassCode; from: string }[]>();
  const unmapped: string[] = [];
  const problems: string[] = [];
  for (const m of members) {
    const index = Number(m.notes?.trim());
    const cls = m.parentCode ? classes.get(m.parentCode) : undefined;
    if (!m.notes || !Number.isFinite(index) || !cls) {
      problems.push(`${m.code} has ${!cls ? `no class (parent ${m.parentCode ?? 'none'})` : `no index in notes ("${m.notes ?? ''}")`}`);
      continue;
    }
    if (current.has(m.code)) direct.set(m.code, { index, cls });
    else {
      const to = successor.get(m.code);
      if (to && current.has(to)) viaOld.set(to, [...(viaOld.get(to) ?? []), { index, cls, from: m.code }]);
      else unmapped.push(m.code);
    }
  }
  const chosen = new Map(direct);
  let viaOldCodes = 0;
  for (const [code, olds] of viaOld) {
    if (chosen.has(code)) continue;
    const values = new Set(olds.map((o) => `${o.index}|${o.cls.code}`));
    if (values.size > 1) {
      problems.push(`${code} is reached from ${olds.map((o) => `${o.from} (${o.index})`).join(', ')}, which disagree`);
      continue;
    }
    chosen.set(code, olds[0]!);
    viaOldCodes++;
  }
  const missing = ctx.kommuneCodes.filter((c) => !chosen.has(c));
  if (missing.length > 0) problems.push(`no value for ${missing.length} of ${ctx.kommuneCodes.length} kommuner (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`);
  if (problems.length > 0) throw new Error(`KLASS ${CENTRALITY_CLASSIFICATION}: ${problems.join('; ')}; the previous figures are kept`);

  const period = ctx.date.slice(0, 4);
  const base = { period, status: 'ok' as const, source: 'SSB', sourceTable: 'KLASS 128', publishedAt: null, fetchedAt: ctx.fetchedAt, origin: ctx.url };
  const observations: Observation[] = [];
  for (const code of ctx.kommuneCodes) {
    const { index, cls } = chosen.get(code)!;
    observations.push({ ...base, regionCode: code, indicator: ind.centralityIndex, value: index, unit: 'indeks', note: `KLASS 128 gyldig ${ctx.date}` });
    observations.push({ ...base, regionCode: code, indicator: ind.centralityClass, value: Number(cls.code), unit: 'klasse', note: cls.name });
  }
  return { observations, viaOldCodes, unmapped };
}
