import { z } from 'zod';
import type { HttpClient } from '../../lib/http';
import { decodeJsonStat, type JsonStatDataset } from './jsonstat';
import type { SsbSelection, SsbSpec } from './specs';

export const SSB_BASE_URL = 'https://data.ssb.no/api/pxwebapi/v2';

/** GET URLs longer than this switch to POST (SSB answers 404 past about 2,100 characters). */
export const MAX_GET_URL = 2000;
/** SSB refuses extracts above this many cells (empty cells count). */
export const MAX_CELLS = 800_000;

const tableInfoSchema = z.object({
  id: z.string(),
  label: z.string(),
  updated: z.string(),
  firstPeriod: z.string().optional(),
  lastPeriod: z.string().optional(),
});
export type TableInfo = z.infer<typeof tableInfoSchema>;

export class SsbSpecError extends Error {
  constructor(
    readonly table: string,
    message: string,
  ) {
    super(`SSB ${table}: ${message}`);
    this.name = 'SsbSpecError';
  }
}

export interface DataRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
}

/** An expression with a comma must be bracketed in a GET parameter: [range(2020,2022)]. */
function getValue(v: string): string {
  return v.includes(',') ? `[${v}]` : v;
}

/** Builds the PxWebApi v2 data request for a selection: GET when short enough, POST otherwise. */
export function buildDataRequest(base: string, table: string, selection: readonly SsbSelection[]): DataRequest {
  const head = `${base}/tables/${table}/data?lang=no&outputFormat=json-stat2`;
  const params: string[] = [];
  for (const s of selection) {
    // Duplicate codes make SSB answer 500; send each once.
    const values = [...new Set(s.values)];
    params.push(`valueCodes[${s.variable}]=${values.map((v) => encodeURIComponent(getValue(v))).join(',')}`);
    if (s.codelist) params.push(`codelist[${s.variable}]=${encodeURIComponent(s.codelist)}`);
  }
  const url = `${head}&${params.join('&')}`;
  if (url.length <= MAX_GET_URL) return { method: 'GET', url };
  const body = JSON.stringify({
    selection: selection.map((s) => ({ variableCode: s.variable, ...(s.codelist ? { codelist: s.codelist } : {}), valueCodes: [...new Set(s.values)] })),
  });
  return { method: 'POST', url: head, body };
}

/** The codes of a dimension a selection value picks, evaluated against the table's metadata. */
export function expandSelection(values: readonly string[], codes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const top = /^top\((\d+)(?:,(\d+))?\)$/.exec(v);
    const bottom = /^bottom\((\d+)(?:,(\d+))?\)$/.exec(v);
    const from = /^from\((.+)\)$/.exec(v);
    const to = /^to\((.+)\)$/.exec(v);
    const range = /^range\((.+),(.+)\)$/.exec(v);
    if (v === '*') codes.forEach((c) => out.add(c));
    else if (top) codes.slice(Math.max(0, codes.length - Number(top[1]) - Number(top[2] ?? 0)), codes.length - Number(top[2] ?? 0)).forEach((c) => out.add(c));
    else if (bottom) codes.slice(Number(bottom[2] ?? 0), Number(bottom[2] ?? 0) + Number(bottom[1])).forEach((c) => out.add(c));
    else if (from) codes.slice(Math.max(0, codes.indexOf(from[1]!))).forEach((c) => out.add(c));
    else if (to) codes.slice(0, codes.indexOf(to[1]!) + 1).forEach((c) => out.add(c));
    else if (range) codes.slice(codes.indexOf(range[1]!), codes.indexOf(range[2]!) + 1).forEach((c) => out.add(c));
    else if (v.includes('*') || v.includes('?')) {
      const re = new RegExp(`^${v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      codes.filter((c) => re.test(c)).forEach((c) => out.add(c));
    } else out.add(v);
  }
  return [...out];
}

export interface SsbClient {
  tableInfo(table: string): Promise<TableInfo>;
  metadata(table: string): Promise<JsonStatDataset>;
  /** Fetches a spec's data, split by period when one extract would pass the cell limit. */
  data(spec: SsbSpec, metadata: JsonStatDataset): Promise<JsonStatDataset[]>;
}

export function createSsbClient(http: HttpClient, base: string = SSB_BASE_URL): SsbClient {
  const json = async (url: string) => {
    const res = await http.request({ url });
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new SsbSpecError(url, `response is not JSON (${res.text.length} bytes, starts "${res.text.slice(0, 40)}")`);
    }
  };
  return {
    async tableInfo(table) {
      const parsed = tableInfoSchema.safeParse(await json(`${base}/tables/${table}?lang=no`));
      if (!parsed.success) throw new SsbSpecError(table, `unexpected table description: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    },
    async metadata(table) {
      return decodeJsonStat(await json(`${base}/tables/${table}/metadata?lang=no&outputFormat=json-stat2`), { allowEmptyValues: true });
    },
    async data(spec, metadata) {
      checkSpecAgainstMetadata(spec, metadata);
      const plans = planExtracts(spec, metadata);
      const out: JsonStatDataset[] = [];
      for (const selection of plans) {
        const req = buildDataRequest(base, spec.table, selection);
        const res = await http.request(req.method === 'GET' ? { url: req.url } : { url: req.url, method: 'POST', body: req.body!, headers: { 'content-type': 'application/json' } });
        let parsed: unknown;
        try {
          parsed = JSON.parse(res.text);
        } catch {
          throw new SsbSpecError(spec.table, `data response is not valid JSON (${res.text.length} bytes; truncated?)`);
        }
        out.push(decodeJsonStat(parsed));
      }
      return out;
    },
  };
}

/** Fails loudly when the table lacks a variable or code the spec relies on. */
export function checkSpecAgainstMetadata(spec: SsbSpec, meta: JsonStatDataset): void {
  const problems: string[] = [];
  for (const s of spec.selection) {
    const dim = meta.dimensions[s.variable];
    if (!dim) {
      problems.push(`variable ${s.variable} does not exist (table has ${meta.ids.join(', ')})`);
      continue;
    }
    if (s.codelist) {
      const lists = (dim.codelists ?? []).map((l) => l.id);
      if (lists.length > 0 && !lists.includes(s.codelist)) problems.push(`codelist ${s.codelist} does not exist for ${s.variable} (has ${lists.join(', ')})`);
    }
  }
  for (const [variable, codes] of Object.entries(spec.requires)) {
    const dim = meta.dimensions[variable];
    if (!dim) {
      problems.push(`variable ${variable} does not exist`);
      continue;
    }
    const missing = codes.filter((c) => !dim.codes.includes(c));
    if (missing.length > 0) problems.push(`${variable} has no code ${missing.join(', ')}`);
  }
  if (problems.length > 0) throw new SsbSpecError(spec.table, problems.join('; '));
}

/** Splits a spec's selection by period so no extract passes MAX_CELLS. */
export function planExtracts(spec: SsbSpec, meta: JsonStatDataset): SsbSelection[][] {
  const count = (s: SsbSelection) => {
    const dim = meta.dimensions[s.variable];
    // With a codelist the codes are not in the table's own list; estimate with the table's count.
    return dim ? Math.max(1, expandSelection(s.values, dim.codes).length) : s.values.length;
  };
  const cells = spec.selection.reduce((n, s) => n * count(s), 1);
  if (cells <= MAX_CELLS) return [spec.selection.map((s) => ({ ...s }))];
  const time = spec.selection.find((s) => s.variable === spec.timeVariable);
  const timeDim = meta.dimensions[spec.timeVariable];
  if (!time || !timeDim) throw new SsbSpecError(spec.table, `${cells} cells is over the limit and the selection has no time variable to split`);
  const periods = expandSelection(time.values, timeDim.codes);
  const perPeriod = Math.ceil(cells / periods.length);
  const chunk = Math.max(1, Math.floor(MAX_CELLS / perPeriod));
  if (perPeriod > MAX_CELLS) throw new SsbSpecError(spec.table, `one period alone is ${perPeriod} cells, over the ${MAX_CELLS} limit`);
  const plans: SsbSelection[][] = [];
  for (let i = 0; i < periods.length; i += chunk) {
    plans.push(spec.selection.map((s) => (s.variable === spec.timeVariable ? { ...s, values: periods.slice(i, i + chunk) } : { ...s })));
  }
  return plans;
}
