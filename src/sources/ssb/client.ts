import * as z from 'zod';
import { UpstreamError, type HttpClient, type HttpResponse } from '../../lib/http';
import { decodeJsonStat, type JsonStatDataset } from './jsonstat';
import { LABEL_PREFIX, type CodeMatch, type LabelledCode, type SsbOutput, type SsbSelection, type SsbSpec } from './specs';

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

/**
 * What PxWebApi v2's problem titles mean for a spec (titles as SSB sends them, typo included;
 * the recorded probe in test/fixtures/ssb/ has five real ones).
 */
const PROBLEM_MEANING: Record<string, string> = {
  'Non-existent table': 'the table does not exist (a wrong or withdrawn table id)',
  'Non-existent value': 'a selected code is not in the table, or the region has no figures in it',
  'Non-existent variable': 'a selected variable is not in the table',
  'Non-existent codelist': 'the codelist does not exist for that variable',
  'Missing selection for mandantory variable': 'a variable the table requires has no selection',
  'Illegal selection expression': 'a selection expression is malformed',
  'Too many cells selected': `the extract is over SSB's ${MAX_CELLS.toLocaleString('en')}-cell limit`,
  'Unsupported output format': 'the output format is not offered',
};

const MAX_URL_IN_MESSAGE = 160;

/**
 * PxWebApi answers a GET URL that is too long (about 2,100 characters) with an IIS 404 HTML page,
 * not with a problem body: a 404 whose body is HTML is "request too long", not "no such table".
 */
export function isRequestTooLong(err: unknown): boolean {
  return err instanceof UpstreamError && err.status === 404 && err.title === undefined && err.bodyKind === 'html';
}

/** An SSB error answer as a message that names the table, what SSB said and what it means. */
export function describeSsbError(table: string, err: unknown): Error {
  if (!(err instanceof UpstreamError) || err.status === undefined) return err instanceof Error ? err : new Error(String(err));
  if (isRequestTooLong(err)) return new SsbSpecError(table, `${err.status} HTML page: SSB's answer to a request that is too long (${err.method} ${shortUrl(err.url)})`);
  if (err.status !== 400 && err.status !== 404 && err.status !== 500) return err;
  const meaning = err.title ? PROBLEM_MEANING[err.title] : err.status === 500 && (err.bodyKind === undefined || err.bodyKind === 'empty') ? 'SSB answers 500 with an empty body to a repeated value code' : undefined;
  const said = err.title ? `«${err.title}»` : err.status === 500 ? 'empty 500' : 'no problem body';
  return new SsbSpecError(table, `${err.status} ${said}${meaning ? `: ${meaning}` : ''} (${err.method} ${shortUrl(err.url)})`);
}

function shortUrl(url: string): string {
  return url.length > MAX_URL_IN_MESSAGE ? `${url.slice(0, MAX_URL_IN_MESSAGE)}…` : url;
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

/** Builds the PxWebApi v2 data request for a selection: GET when short enough (and not refused), POST otherwise. */
export function buildDataRequest(base: string, table: string, selection: readonly SsbSelection[], opts: { forcePost?: boolean } = {}): DataRequest {
  const head = `${base}/tables/${table}/data?lang=no&outputFormat=json-stat2`;
  const params: string[] = [];
  for (const s of selection) {
    // Duplicate codes make SSB answer 500; send each once.
    const values = [...new Set(s.values)];
    params.push(`valueCodes[${s.variable}]=${values.map((v) => encodeURIComponent(getValue(v))).join(',')}`);
    if (s.codelist) params.push(`codelist[${s.variable}]=${encodeURIComponent(s.codelist)}`);
  }
  const url = `${head}&${params.join('&')}`;
  if (url.length <= MAX_GET_URL && !opts.forcePost) return { method: 'GET', url };
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

/** What the client is doing for a table, for progress lines. */
export type SsbPhase = { kind: 'fetching'; part: number; parts: number; method: 'GET' | 'POST' } | { kind: 'decoding'; part: number; parts: number; bytes: number };

export interface SsbDataResult {
  datasets: JsonStatDataset[];
  /** The spec with its labelled codes resolved, as requested. */
  spec: SsbSpec;
  /** What the metadata check found by label, and what it left out. */
  notes: string[];
}

export interface SsbClient {
  tableInfo(table: string): Promise<TableInfo>;
  metadata(table: string): Promise<JsonStatDataset>;
  /**
   * Fetches a spec's data after checking it against the metadata: one request, split by period
   * when one extract would pass the cell limit; a GET SSB finds too long is sent once more as POST.
   */
  data(spec: SsbSpec, metadata: JsonStatDataset, onPhase?: (p: SsbPhase) => void): Promise<SsbDataResult>;
}

export function createSsbClient(http: HttpClient, base: string = SSB_BASE_URL): SsbClient {
  const request = async (table: string, req: Parameters<HttpClient['request']>[0]): Promise<HttpResponse> => {
    try {
      return await http.request(req);
    } catch (err) {
      throw describeSsbError(table, err);
    }
  };
  const json = async (table: string, url: string) => {
    const res = await request(table, { url });
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new SsbSpecError(table, `response is not JSON (${res.text.length} bytes, starts "${res.text.slice(0, 40)}")`);
    }
  };

  async function fetchExtract(spec: SsbSpec, selection: SsbSelection[], part: number, parts: number, onPhase?: (p: SsbPhase) => void): Promise<JsonStatDataset[]> {
    let req = buildDataRequest(base, spec.table, selection);
    let res: HttpResponse;
    try {
      onPhase?.({ kind: 'fetching', part, parts, method: req.method });
      res = await http.request(req.method === 'GET' ? { url: req.url } : { url: req.url, method: 'POST', body: req.body!, headers: { 'content-type': 'application/json' } });
    } catch (err) {
      if (isRequestTooLong(err) && req.method === 'GET') {
        // Once, as POST: a second refusal is an error, never a loop.
        req = buildDataRequest(base, spec.table, selection, { forcePost: true });
        onPhase?.({ kind: 'fetching', part, parts, method: 'POST' });
        res = await request(spec.table, { url: req.url, method: 'POST', body: req.body!, headers: { 'content-type': 'application/json' } });
      } else if (err instanceof UpstreamError && err.title === 'Too many cells selected') {
        const halves = splitByTime(spec, selection);
        if (!halves) throw describeSsbError(spec.table, err);
        const out: JsonStatDataset[] = [];
        for (const h of halves) out.push(...(await fetchExtract(spec, h, part, parts, onPhase)));
        return out;
      } else throw describeSsbError(spec.table, err);
    }
    onPhase?.({ kind: 'decoding', part, parts, bytes: res.text.length });
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      throw new SsbSpecError(spec.table, `data response is not valid JSON (${res.text.length} bytes; truncated?)`);
    }
    return [decodeJsonStat(parsed)];
  }

  return {
    async tableInfo(table) {
      const parsed = tableInfoSchema.safeParse(await json(table, `${base}/tables/${table}?lang=no`));
      if (!parsed.success) throw new SsbSpecError(table, `unexpected table description: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    },
    async metadata(table) {
      return decodeJsonStat(await json(table, `${base}/tables/${table}/metadata?lang=no&outputFormat=json-stat2`), { allowEmptyValues: true });
    },
    async data(spec, metadata, onPhase) {
      const resolved = checkSpecAgainstMetadata(spec, metadata);
      const plans = planExtracts(resolved.spec, metadata);
      const datasets: JsonStatDataset[] = [];
      for (let i = 0; i < plans.length; i++) datasets.push(...(await fetchExtract(resolved.spec, plans[i]!, i + 1, plans.length, onPhase)));
      return { datasets, spec: resolved.spec, notes: resolved.notes };
    },
  };
}

/** Halves a selection's periods (for a "Too many cells" answer); null when one period is left. */
function splitByTime(spec: SsbSpec, selection: SsbSelection[]): SsbSelection[][] | null {
  const time = selection.find((s) => s.variable === spec.timeVariable);
  if (!time || time.values.length < 2 || time.values.some((v) => /[*?(]/.test(v))) return null;
  const mid = Math.ceil(time.values.length / 2);
  return [time.values.slice(0, mid), time.values.slice(mid)].map((values) => selection.map((s) => (s === time ? { ...s, values } : { ...s })));
}

/** Whether a label has every term of a labelled code and none of its excluded ones. */
export function labelMatches(label: string, code: Pick<LabelledCode, 'all' | 'none'>): boolean {
  const l = label.toLowerCase();
  const has = (term: string) => term.toLowerCase().split('|').some((alt) => l.includes(alt.trim()));
  return code.all.every(has) && !(code.none ?? []).some(has);
}

export interface ResolvedSpec {
  spec: SsbSpec;
  /** alias → the code found, or null for an optional code the table does not have. */
  codes: Record<string, string | null>;
  notes: string[];
}

/**
 * Fails loudly, naming the table, the variable and the code, when the table lacks a variable or
 * code the spec relies on, or requires a variable the spec does not select; resolves the codes
 * the spec knows only by label. Returns the spec with those codes filled in.
 */
export function checkSpecAgainstMetadata(spec: SsbSpec, meta: JsonStatDataset): ResolvedSpec {
  const problems: string[] = [];
  const notes: string[] = [];
  const codes: Record<string, string | null> = {};
  for (const [alias, want] of Object.entries(spec.labelled ?? {})) {
    const dim = meta.dimensions[want.variable];
    if (!dim) {
      problems.push(`variable ${want.variable} does not exist (table has ${meta.ids.join(', ')})`);
      continue;
    }
    const hits = dim.codes.filter((c) => labelMatches(dim.labels[c] ?? c, want));
    const words = `label with ${want.all.map((w) => `«${w}»`).join(', ')}${want.none?.length ? ` and without ${want.none.map((w) => `«${w}»`).join(', ')}` : ''}`;
    if (hits.length === 1) {
      codes[alias] = hits[0]!;
      notes.push(`${want.variable} ${hits[0]} «${dim.labels[hits[0]!]}» read by label for ${alias}`);
    } else if (hits.length > 1) problems.push(`${want.variable} has ${hits.length} codes whose ${words} (${hits.join(', ')}); the spec must say which`);
    else if (want.optional) {
      codes[alias] = null;
      notes.push(`${want.variable} has no code whose ${words}: ${alias} is left out`);
    } else problems.push(`${want.variable} has no code whose ${words} (for ${alias})`);
  }
  const resolved = problems.length === 0 ? substituteLabels(spec, codes) : spec;
  for (const s of resolved.selection) {
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
  for (const [variable, required] of Object.entries(spec.requires)) {
    const dim = meta.dimensions[variable];
    if (!dim) {
      problems.push(`variable ${variable} does not exist`);
      continue;
    }
    const missing = required.filter((c) => !dim.codes.includes(c));
    if (missing.length > 0) problems.push(`${variable} has no code ${missing.join(', ')}`);
  }
  const selected = new Set(resolved.selection.map((s) => s.variable));
  for (const id of meta.ids) {
    if (!selected.has(id) && meta.dimensions[id]?.extension?.elimination === false) problems.push(`variable ${id} must be selected (elimination false) and the spec selects nothing for it`);
  }
  if (problems.length > 0) throw new SsbSpecError(spec.table, problems.join('; '));
  return { spec: resolved, codes, notes };
}

/** The spec with `label:` aliases replaced by their codes; outputs of an absent optional code are dropped. */
function substituteLabels(spec: SsbSpec, codes: Record<string, string | null>): SsbSpec {
  if (!spec.labelled) return spec;
  const code = (v: string): string | null | undefined => (v.startsWith(LABEL_PREFIX) ? codes[v.slice(LABEL_PREFIX.length)] : v);
  const selection = spec.selection.map((s) => ({ ...s, values: s.values.map(code).filter((v): v is string => typeof v === 'string') }));
  const outputs: SsbOutput[] = [];
  for (const o of spec.outputs) {
    const where: Record<string, CodeMatch> = {};
    let keep = true;
    for (const [v, m] of Object.entries(o.where)) {
      if (typeof m === 'string') {
        const c = code(m);
        if (typeof c !== 'string') keep = false;
        else where[v] = c;
      } else where[v] = m;
    }
    if (keep) outputs.push({ ...o, where });
  }
  return { ...spec, selection, outputs };
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
