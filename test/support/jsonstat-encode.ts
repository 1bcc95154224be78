// Builds JSON-stat 2.0 datasets in the shape SSB's PxWebApi v2 returns (see
// test/fixtures/ssb/ssb_v2_metadata_14216_trimmed.json and data-sources.md §1.2): `version`,
// `class`, `label`, `source`, `updated`, `role`, `id`, `size`, `dimension` with
// `category.index` as {code: position} and `category.label`, a dense `value` array in row-major
// order (last dimension fastest), `status` as an object keyed by the *string* flat index, and
// `extension.px.tableid`. Used by the SSB mock to re-encode the snapshot's real rows; nothing here
// decodes, so the project's decoder is tested against an independent encoder.

export type Coords = Readonly<Record<string, string>>;

export interface EncodeDimension {
  id: string;
  /** The dimension's label ("region", "år"); defaults to the id. */
  label?: string;
  codes: readonly string[];
  /** Label per code; a code without one is labelled by itself. */
  labels?: Readonly<Record<string, string>>;
  /** category.unit per code, as SSB sends it on ContentsCode. */
  units?: Readonly<Record<string, { base: string; decimals: number }>>;
  /** Dimension extension (elimination, show, …). `codelists` is added by `metadataOf`. */
  extension?: Readonly<Record<string, unknown>>;
}

export interface EncodeInput {
  dims: readonly EncodeDimension[];
  /** The cell value at these coordinates (one code per dimension id); null for an empty cell. */
  value: (coords: Coords) => number | null;
  /** The SSB status symbol of the cell ('.', '..', ':'), if any. */
  status?: (coords: Coords) => string | undefined;
  /** ISO time, as SSB's `updated`. */
  updated: string;
  label: string;
  /** extension.px.tableid; defaults to the digits before ":" in the label. */
  tableId?: string;
  source?: string;
  /** Defaults: time = Tid, geo = Region, metric = ContentsCode (those present). */
  roles?: { time?: string[]; geo?: string[]; metric?: string[] };
  note?: string[];
}

export interface JsonStatCategoryOut {
  index: Record<string, number>;
  label: Record<string, string>;
  unit?: Record<string, { base: string; decimals: number }>;
}

export interface JsonStatDimensionOut {
  label: string;
  category: JsonStatCategoryOut;
  extension?: Record<string, unknown>;
}

/** A JSON-stat 2.0 dataset as SSB serialises it. */
export interface JsonStat2 {
  version: '2.0';
  class: 'dataset';
  label: string;
  source: string;
  updated: string;
  note?: string[];
  role: { time?: string[]; geo?: string[]; metric?: string[] };
  id: string[];
  size: number[];
  dimension: Record<string, JsonStatDimensionOut>;
  value: (number | null)[];
  status?: Record<string, string>;
  extension: { px: { tableid: string; decimals: number; 'official-statistics': boolean; aggregallowed: boolean } };
}

const DEFAULT_ROLES: Record<'time' | 'geo' | 'metric', string> = { time: 'Tid', geo: 'Region', metric: 'ContentsCode' };

/** Encodes a dataset: every combination of the dimensions' codes, last dimension fastest. */
export function encodeJsonStat(input: EncodeInput): JsonStat2 {
  const ids = input.dims.map((d) => d.id);
  if (new Set(ids).size !== ids.length) throw new Error(`encodeJsonStat: duplicate dimension id in ${ids.join(', ')}`);
  const dimension: Record<string, JsonStatDimensionOut> = {};
  for (const d of input.dims) {
    if (new Set(d.codes).size !== d.codes.length) throw new Error(`encodeJsonStat: dimension ${d.id} repeats a code`);
    const category: JsonStatCategoryOut = {
      index: Object.fromEntries(d.codes.map((c, i) => [c, i])),
      label: Object.fromEntries(d.codes.map((c) => [c, d.labels?.[c] ?? c])),
    };
    if (d.units) category.unit = Object.fromEntries(d.codes.filter((c) => d.units![c]).map((c) => [c, d.units![c]!]));
    dimension[d.id] = { label: d.label ?? d.id, category, ...(d.extension ? { extension: { ...d.extension } } : {}) };
  }

  const size = input.dims.map((d) => d.codes.length);
  const cellCount = size.reduce((a, b) => a * b, 1);
  const value: (number | null)[] = new Array<number | null>(cellCount);
  const status: Record<string, string> = {};
  const pos = new Array<number>(ids.length).fill(0);
  for (let flat = 0; flat < cellCount; flat++) {
    const coords: Record<string, string> = {};
    input.dims.forEach((d, i) => (coords[d.id] = d.codes[pos[i]!]!));
    const v = input.value(coords);
    value[flat] = v;
    const s = input.status?.(coords);
    if (s !== undefined) status[String(flat)] = s;
    // Advance the odometer: last dimension fastest (row-major).
    for (let i = ids.length - 1; i >= 0; i--) {
      pos[i]!++;
      if (pos[i]! < size[i]!) break;
      pos[i] = 0;
    }
  }

  const role: JsonStat2['role'] = {};
  for (const key of ['time', 'geo', 'metric'] as const) {
    const list = input.roles?.[key] ?? (ids.includes(DEFAULT_ROLES[key]) ? [DEFAULT_ROLES[key]] : undefined);
    if (list && list.length > 0) role[key] = [...list];
  }

  const tableId = input.tableId ?? /^(\d{5}):/.exec(input.label)?.[1];
  if (!tableId) throw new Error(`encodeJsonStat: no tableId given and none in the label "${input.label}"`);
  return {
    version: '2.0',
    class: 'dataset',
    label: input.label,
    source: input.source ?? 'Statistisk sentralbyrå',
    updated: input.updated,
    ...(input.note ? { note: [...input.note] } : {}),
    role,
    id: ids,
    size,
    dimension,
    value,
    ...(Object.keys(status).length > 0 ? { status } : {}),
    extension: { px: { tableid: tableId, decimals: 0, 'official-statistics': true, aggregallowed: false } },
  };
}

/** Labels of the codelists the mock offers; the ids are SSB's. */
const CODELIST_LABELS: Record<string, string> = {
  agg_KommSummer: 'Kommuner summert (2024-inndeling)',
  agg_KommFylker: 'Kommuner og fylker',
  vs_Kommun: 'Alle kommuner',
  vs_Kommune: 'Kommuner',
  vs_Fylker: 'Fylker',
};

export interface CodelistRef {
  id: string;
  label: string;
  type: 'Aggregation' | 'Valueset';
  links: { rel: string; hreflang: string; href: string }[];
}

export function codelistRef(id: string): CodelistRef {
  return {
    id,
    label: CODELIST_LABELS[id] ?? id,
    type: id.startsWith('agg_') ? 'Aggregation' : 'Valueset',
    links: [{ rel: 'metadata', hreflang: 'no', href: `https://data.ssb.no/api/pxwebapi/v2/codeLists/${id}?lang=no` }],
  };
}

/**
 * The `/tables/{id}/metadata` form of a dataset: the same dimensions with `value: []`, no
 * `status`, and `extension.codelists` (`[{id, label, type, links}]`) on the dimensions named in
 * `codelists`; every other dimension gets an empty `codelists` array, as SSB sends it.
 */
export function metadataOf(dataset: JsonStat2, opts: { codelists?: Readonly<Record<string, readonly string[]>> } = {}): JsonStat2 {
  const copy = structuredClone(dataset);
  copy.value = [];
  delete copy.status;
  for (const id of copy.id) {
    const dim = copy.dimension[id]!;
    const lists = opts.codelists?.[id] ?? [];
    dim.extension = { ...(dim.extension ?? {}), codelists: lists.map(codelistRef) };
  }
  return copy;
}
