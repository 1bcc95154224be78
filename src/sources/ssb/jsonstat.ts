/**
 * JSON-stat 2.0 dataset decoder (https://json-stat.org/full/), written for what SSB's
 * PxWebApi returns but accepting every shape the format allows:
 *
 * - `value` as a dense array or a sparse object keyed by the string flat index (cells absent
 *   from the object are null);
 * - `status` as a single string (applies to every cell), an array (one element applies to
 *   every cell, otherwise one per cell) or an object keyed by the string flat index;
 * - `category.index` as an object `{code: position}` (key order means nothing, only the
 *   positions do), an array of codes, or absent when the dimension has a single category.
 *
 * Strides are computed from `id`/`size` on every dataset (row-major, last dimension fastest).
 * Nothing is assumed about dimension order, and no value or status is ever invented.
 *
 * Pure: the caller fetches and `JSON.parse`s; a truncated body is the caller's parse error.
 */
import * as z from 'zod';

// ---------------------------------------------------------------------------------------------
// Errors

export type JsonStatErrorKind = 'schema' | 'size-mismatch' | 'dimension-mismatch';

export class JsonStatError extends Error {
  override readonly name = 'JsonStatError';
  readonly kind: JsonStatErrorKind;

  constructor(kind: JsonStatErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

// ---------------------------------------------------------------------------------------------
// Schema

const cellValueSchema = z.union([z.number(), z.string(), z.null()]);

const unitSchema = z
  .object({
    decimals: z.number().int().nonnegative().optional(),
    base: z.string().optional(),
  })
  .loose();

const categorySchema = z
  .object({
    index: z.union([z.record(z.string(), z.number()), z.array(z.string())]).optional(),
    label: z.record(z.string(), z.string()).optional(),
    unit: z.record(z.string(), unitSchema).optional(),
  })
  .loose();

const dimensionSchema = z
  .object({
    label: z.string().optional(),
    category: categorySchema,
    extension: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

const roleSchema = z
  .object({
    time: z.array(z.string()).optional(),
    geo: z.array(z.string()).optional(),
    metric: z.array(z.string()).optional(),
  })
  .loose();

export const jsonStatDatasetSchema = z
  .object({
    version: z.literal('2.0'),
    class: z.literal('dataset'),
    label: z.string().optional(),
    source: z.string().optional(),
    updated: z.string().optional(),
    id: z.array(z.string()).min(1),
    size: z.array(z.number().int().nonnegative()),
    dimension: z.record(z.string(), dimensionSchema),
    // Required by the format; a PxWebApi v2 /metadata response sends `[]`. Absence is only
    // tolerated with `allowEmptyValues` (checked below, so the message can say why).
    value: z.union([z.array(cellValueSchema), z.record(z.string(), cellValueSchema)]).optional(),
    status: z
      .union([z.string(), z.array(z.string().nullable()), z.record(z.string(), z.string().nullable())])
      .optional(),
    role: roleSchema.optional(),
    note: z.array(z.string()).optional(),
    extension: z.record(z.string(), z.unknown()).optional(),
    link: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export type RawJsonStatDataset = z.infer<typeof jsonStatDatasetSchema>;

const codelistSchema = z.array(
  z.object({ id: z.string(), label: z.string().optional(), type: z.string().optional() }).loose(),
);

// ---------------------------------------------------------------------------------------------
// Decoded types

export type CellValue = number | string | null;

export interface JsonStatUnit {
  decimals?: number;
  base?: string;
}

export interface JsonStatCodelistRef {
  id: string;
  label: string | null;
  type: string | null;
}

export interface JsonStatDimension {
  label: string;
  /** Category codes in index order (position 0 first). */
  codes: string[];
  /** Label per code; a code without a label in the source is labelled by itself. */
  labels: Record<string, string>;
  unit?: Record<string, JsonStatUnit>;
  /** PxWebApi v2 `extension.codelists` (ids such as `agg_KommSummer`, `vs_Kommun`), when present. */
  codelists?: JsonStatCodelistRef[];
  /** The dimension's raw `extension` object (elimination, show, refperiod, …), when present. */
  extension?: Record<string, unknown>;
}

export interface JsonStatCell {
  coords: Record<string, string>;
  value: CellValue;
  status: string | null;
}

export interface JsonStatDataset {
  label: string | null;
  source: string | null;
  updated: string | null;
  ids: string[];
  sizes: number[];
  dimensions: Record<string, JsonStatDimension>;
  roles: { time?: string[]; geo?: string[]; metric?: string[] };
  /** product(sizes): the number of addressable cells. */
  cellCount: number;
  /** False for a metadata response decoded with `allowEmptyValues` (every cell reads null). */
  hasValues: boolean;
  /** Row-major strides, one per id: the flat index is Σ position[i] × strides[i]. */
  strides: number[];
  cell(flatIndex: number): JsonStatCell;
  cells(): Generator<JsonStatCell>;
  /**
   * The cell at these coordinates. A dimension with a single category may be left out.
   * Undefined when a code is unknown, a key is not a dimension, or a dimension is missing.
   */
  get(coords: Record<string, string>): { value: CellValue; status: string | null } | undefined;
}

export interface DecodeJsonStatOptions {
  /**
   * Accept `value: []` (or no `value`) although product(size) > 0. Only for PxWebApi
   * `/tables/{id}/metadata` responses, which describe the dimensions and carry no data.
   */
  allowEmptyValues?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Decoder

export function decodeJsonStat(json: unknown, options: DecodeJsonStatOptions = {}): JsonStatDataset {
  const raw = parseSchema(json);
  const allowEmpty = options.allowEmptyValues === true;

  const ids = raw.id;
  const sizes = raw.size;
  if (ids.length !== sizes.length) {
    throw new JsonStatError(
      'size-mismatch',
      `id has ${ids.length} dimensions (${ids.join(', ')}) but size has ${sizes.length} entries (${sizes.join(', ')})`,
    );
  }
  const seenIds = new Set<string>();
  for (const id of ids) {
    if (seenIds.has(id)) throw new JsonStatError('dimension-mismatch', `id lists dimension "${id}" twice`);
    seenIds.add(id);
  }
  const missing = ids.filter((id) => !Object.hasOwn(raw.dimension, id));
  if (missing.length > 0) {
    throw new JsonStatError(
      'dimension-mismatch',
      `id names ${missing.map((m) => `"${m}"`).join(', ')} but dimension has no such entr${missing.length === 1 ? 'y' : 'ies'} (has: ${Object.keys(raw.dimension).join(', ') || 'none'})`,
    );
  }

  const cellCount = sizes.reduce((a, b) => a * b, 1);
  const valueIsEmpty =
    raw.value === undefined || (Array.isArray(raw.value) && raw.value.length === 0) ||
    (!Array.isArray(raw.value) && Object.keys(raw.value).length === 0);
  const hasValues = !(allowEmpty && valueIsEmpty);
  if (cellCount > 0 && Array.isArray(raw.value) && raw.value.length === 0 && !allowEmpty) {
    // Say this before any index check: a /metadata body is the likely cause.
    throw new JsonStatError(
      'size-mismatch',
      `size says ${sizes.join('×')} = ${cellCount} cells but value has 0 (a /metadata response needs allowEmptyValues)`,
    );
  }

  const dimensions: Record<string, JsonStatDimension> = {};
  const positions: Map<string, number>[] = [];
  ids.forEach((id, i) => {
    const dim = decodeDimension(id, raw.dimension[id]!, sizes[i]!, !hasValues);
    dimensions[id] = dim;
    positions.push(new Map(dim.codes.map((code, pos) => [code, pos])));
  });

  const roles: JsonStatDataset['roles'] = {};
  for (const key of ['time', 'geo', 'metric'] as const) {
    const list = raw.role?.[key];
    if (list === undefined) continue;
    const unknown = list.filter((r) => !seenIds.has(r));
    if (unknown.length > 0) {
      throw new JsonStatError('dimension-mismatch', `role.${key} names ${unknown.join(', ')}, which is not in id`);
    }
    roles[key] = [...list];
  }

  const strides = new Array<number>(sizes.length);
  let stride = 1;
  for (let i = sizes.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= sizes[i]!;
  }

  const readValue = valueReader(raw.value, cellCount, sizes, hasValues);
  const readStatus = statusReader(raw.status, cellCount);

  const coordsAt = (flatIndex: number): Record<string, string> => {
    const coords: Record<string, string> = {};
    let rest = flatIndex;
    ids.forEach((id, i) => {
      const pos = Math.floor(rest / strides[i]!);
      rest -= pos * strides[i]!;
      coords[id] = dimensions[id]!.codes[pos]!;
    });
    return coords;
  };

  const cell = (flatIndex: number): JsonStatCell => {
    if (!Number.isInteger(flatIndex) || flatIndex < 0 || flatIndex >= cellCount) {
      throw new RangeError(`cell index ${flatIndex} is outside 0..${cellCount - 1}`);
    }
    return { coords: coordsAt(flatIndex), value: readValue(flatIndex), status: readStatus(flatIndex) };
  };

  return {
    label: raw.label ?? null,
    source: raw.source ?? null,
    updated: raw.updated ?? null,
    ids: [...ids],
    sizes: [...sizes],
    dimensions,
    roles,
    cellCount,
    hasValues,
    strides,
    cell,
    *cells() {
      for (let i = 0; i < cellCount; i++) yield cell(i);
    },
    get(coords) {
      for (const key of Object.keys(coords)) if (!seenIds.has(key)) return undefined;
      let flat = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        const code = coords[id];
        let pos: number | undefined;
        if (code === undefined) {
          if (sizes[i] !== 1) return undefined;
          pos = 0;
        } else {
          pos = positions[i]!.get(code);
          if (pos === undefined) return undefined;
        }
        flat += pos * strides[i]!;
      }
      return { value: readValue(flat), status: readStatus(flat) };
    },
  };
}

function parseSchema(json: unknown): RawJsonStatDataset {
  const proto = protoKeyAt(json);
  if (proto !== undefined) throw new JsonStatError('schema', `not a JSON-stat 2.0 dataset: ${proto} has the key "__proto__"`);
  const parsed = jsonStatDatasetSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  throw new JsonStatError('schema', `not a JSON-stat 2.0 dataset${describeErrorBody(json)}: ${issues}`);
}

/**
 * Where an object that carries data has an own "__proto__" key (JSON.parse makes one from the
 * text). Schema parsing drops such a key without a word, so a sparse value, an index or a label
 * would silently lose it; the decoder refuses it instead.
 */
function protoKeyAt(json: unknown): string | undefined {
  const obj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!obj(json)) return undefined;
  const places: [string, unknown][] = [['value', json['value']], ['status', json['status']], ['dimension', json['dimension']]];
  if (obj(json['dimension'])) {
    for (const [id, dim] of Object.entries(json['dimension'])) {
      const category = obj(dim) ? dim['category'] : undefined;
      if (!obj(category)) continue;
      for (const part of ['index', 'label', 'unit']) places.push([`dimension.${id}.category.${part}`, category[part]]);
    }
  }
  return places.find(([, v]) => obj(v) && Object.hasOwn(v, '__proto__'))?.[0];
}

/** PxWebApi errors are RFC 7807-like `{title, status}` bodies; name them in the message. */
function describeErrorBody(json: unknown): string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return '';
  const body = json as Record<string, unknown>;
  if (typeof body['title'] === 'string' && typeof body['status'] === 'number') {
    return ` (looks like an API error response: "${body['title']}", status ${body['status']})`;
  }
  return '';
}

type RawDimension = z.infer<typeof dimensionSchema>;

function decodeDimension(id: string, raw: RawDimension, size: number, lenientIndex: boolean): JsonStatDimension {
  const { index, label, unit } = raw.category;
  let codes: string[];
  if (index === undefined) {
    const labelled = label === undefined ? [] : Object.keys(label);
    if (labelled.length !== 1) {
      throw new JsonStatError(
        'dimension-mismatch',
        `dimension "${id}" has no category.index, so category.label must hold exactly one category, but it holds ${labelled.length}`,
      );
    }
    codes = labelled;
  } else if (Array.isArray(index)) {
    codes = [...index];
    const dup = firstDuplicate(codes);
    if (dup !== undefined) throw new JsonStatError('dimension-mismatch', `dimension "${id}": category.index lists "${dup}" twice`);
  } else {
    const entries = Object.entries(index);
    for (const [code, pos] of entries) {
      if (!Number.isInteger(pos) || pos < 0) {
        throw new JsonStatError('dimension-mismatch', `dimension "${id}": category.index gives "${code}" the position ${pos}`);
      }
    }
    entries.sort((a, b) => a[1] - b[1]);
    codes = entries.map(([code]) => code);
    const dense = entries.every(([, pos], i) => pos === i);
    if (!dense) {
      const dupPos = entries.find(([, pos], i) => i > 0 && pos === entries[i - 1]![1]);
      if (dupPos !== undefined) {
        throw new JsonStatError('dimension-mismatch', `dimension "${id}": category.index gives position ${dupPos[1]} to more than one code`);
      }
      // A trimmed /metadata response can keep the original positions (14216's TettSted has
      // {"0801":159,"0802":160} with size 2). With no values to address, only the order matters.
      if (!lenientIndex) {
        throw new JsonStatError(
          'dimension-mismatch',
          `dimension "${id}": category.index positions are ${entries.map(([, p]) => p).join(', ')}, not 0..${entries.length - 1}`,
        );
      }
    }
  }

  if (codes.length !== size) {
    throw new JsonStatError(
      'size-mismatch',
      `dimension "${id}": size says ${size} categories but category has ${codes.length}`,
    );
  }

  // Own properties only, both ways: a code may be "constructor" or "__proto__".
  const labels: Record<string, string> = Object.fromEntries(
    codes.map((code) => [code, label !== undefined && Object.hasOwn(label, code) ? label[code]! : code]),
  );

  const dimension: JsonStatDimension = { label: raw.label ?? id, codes, labels };
  if (unit !== undefined) {
    const units: Record<string, JsonStatUnit> = {};
    for (const [code, u] of Object.entries(unit)) {
      const out: JsonStatUnit = {};
      if (u.decimals !== undefined) out.decimals = u.decimals;
      if (u.base !== undefined) out.base = u.base;
      units[code] = out;
    }
    dimension.unit = units;
  }
  if (raw.extension !== undefined) {
    dimension.extension = raw.extension;
    const lists = codelistSchema.safeParse(raw.extension['codelists']);
    if (lists.success) {
      dimension.codelists = lists.data.map((c) => ({ id: c.id, label: c.label ?? null, type: c.type ?? null }));
    }
  }
  return dimension;
}

function firstDuplicate(codes: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const c of codes) {
    if (seen.has(c)) return c;
    seen.add(c);
  }
  return undefined;
}

const FLAT_INDEX_KEY = /^(0|[1-9]\d*)$/;

/** Validates the keys of a sparse object (`value` or `status`) and returns them as numbers. */
function sparseEntries<T>(what: string, obj: Record<string, T>, cellCount: number): [number, T][] {
  return Object.entries(obj).map(([key, v]) => {
    if (!FLAT_INDEX_KEY.test(key)) {
      throw new JsonStatError('schema', `${what} has the key "${key}", which is not a flat cell index`);
    }
    const i = Number(key);
    if (i >= cellCount) {
      throw new JsonStatError('size-mismatch', `${what} has the index ${i} but the dataset has only ${cellCount} cells`);
    }
    return [i, v];
  });
}

function valueReader(
  value: RawJsonStatDataset['value'],
  cellCount: number,
  sizes: readonly number[],
  hasValues: boolean,
): (i: number) => CellValue {
  if (!hasValues) return () => null;
  if (value === undefined) {
    throw new JsonStatError(
      'schema',
      `value is missing (size says ${cellCount} cells); pass allowEmptyValues only for a metadata response`,
    );
  }
  if (Array.isArray(value)) {
    if (value.length !== cellCount) {
      throw new JsonStatError(
        'size-mismatch',
        `size says ${sizes.join('×')} = ${cellCount} cells but value has ${value.length}`,
      );
    }
    return (i) => value[i] ?? null;
  }
  const sparse = new Map(sparseEntries('value', value, cellCount));
  return (i) => sparse.get(i) ?? null;
}

function statusReader(status: RawJsonStatDataset['status'], cellCount: number): (i: number) => string | null {
  if (status === undefined) return () => null;
  if (typeof status === 'string') return () => status;
  if (Array.isArray(status)) {
    if (status.length === 1) {
      const only = status[0] ?? null;
      return () => only;
    }
    if (status.length !== cellCount) {
      throw new JsonStatError(
        'size-mismatch',
        `status is an array of ${status.length}; it must hold one element (for every cell) or ${cellCount}`,
      );
    }
    return (i) => status[i] ?? null;
  }
  const sparse = new Map(sparseEntries('status', status, cellCount));
  return (i) => sparse.get(i) ?? null;
}

// ---------------------------------------------------------------------------------------------
// SSB status symbols

export type CellStatus = 'ok' | 'missing' | 'suppressed' | 'not_applicable';

/**
 * What an SSB status symbol says about a cell: `.` not applicable, `..` missing, `:` suppressed
 * (confidential); `...`, `-` and `*` are treated as missing. No symbol, and flags that are not
 * SSB symbols (json-stat.org samples use `e` for estimate, `a` …), say nothing against the value: 'ok'.
 * Use `cellStatus` when the value is at hand: a null value is never 'ok'.
 */
export function statusMeaning(symbol: string | null | undefined): CellStatus {
  switch (symbol) {
    case '.':
      return 'not_applicable';
    case ':':
      return 'suppressed';
    case '..':
    case '...':
    case '-':
    case '*':
      return 'missing';
    default:
      return 'ok';
  }
}

/** The status of one cell from its value and symbol: a null value with no telling symbol is 'missing'. */
export function cellStatus(value: CellValue | undefined, symbol: string | null | undefined): CellStatus {
  const meaning = statusMeaning(symbol);
  if (value === null || value === undefined) return meaning === 'ok' ? 'missing' : meaning;
  // A published number with a flag ("*" provisional in SSB's older tables) is still the figure;
  // only the symbols that stand instead of a number make the cell missing.
  return meaning === 'missing' && (symbol === '*' || symbol === '-') ? 'ok' : meaning;
}
