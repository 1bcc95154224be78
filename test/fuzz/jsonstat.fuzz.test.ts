/**
 * Fuzzing the JSON-stat 2.0 decoder (issue 9): the recorded SSB responses and the conformance set,
 * mutated (keys deleted, duplicated, reordered; types changed; `value`, `size`, `id`,
 * `category.index` and `status` corrupted; sparse and array forms swapped), are fed to
 * `decodeJsonStat`. Properties:
 *
 * - it returns or throws a JsonStatError of a known kind, never anything else;
 * - never a wrong number: whatever it returns is checked, cell by cell, against an independent
 *   oracle written here (row-major index from the input's own `id`/`size`/`category.index`,
 *   then the input's `value` and `status`), and an input the oracle finds inconsistent must not
 *   be accepted at all;
 * - changing one entry of a real fixture's `value` changes exactly that cell.
 *
 * Bounded here (500 cases); `TOMTE_FUZZ_RUNS` scales it (test/support/fuzz.ts: 100000 → 25,000 cases).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- mutated JSON of any shape is the point here */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStatError, decodeJsonStat, type JsonStatDataset } from '../../src/sources/ssb/jsonstat';
import { genericMutation, isObj, oddValue, pick, reorder, shuffle, type Mutation } from '../support/json-mutate';
import { fuzzRuns } from '../support/fuzz';

const RUNS = fuzzRuns(500);
/** Per test: the default 60 s, more for a large run. */
const TIMEOUT = Math.max(60_000, RUNS * 10);

// --- Fixtures: every recorded dataset (the codelist and table descriptions are not datasets) ---

const FIXTURES = new URL('../fixtures/', import.meta.url);
const datasetFiles = ['ssb', 'jsonstat-conformance/ssb', 'jsonstat-conformance/samples'].flatMap((dir) =>
  readdirSync(new URL(`${dir}/`, FIXTURES))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `${dir}/${f}`),
);
const texts = new Map(datasetFiles.map((f) => [f, readFileSync(new URL(f, FIXTURES), 'utf8')]));
const isDataset = (j: any) => j?.class === 'dataset' && j?.version === '2.0';
const FILES = datasetFiles.filter((f) => isDataset(JSON.parse(texts.get(f)!)));
/** The metadata response (value: []) is decoded with allowEmptyValues, the others without. */
const fresh = (f: string): any => JSON.parse(texts.get(f)!);
const METADATA = FILES.filter((f) => Array.isArray(fresh(f).value) && fresh(f).value.length === 0);

// --- The oracle -------------------------------------------------------------------------------

const own = (o: any, k: string) => o !== null && typeof o === 'object' && !Array.isArray(o) && Object.hasOwn(o, k);
const isCell = (v: any) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
const FLAT = /^(0|[1-9]\d*)$/;

interface Expected {
  ids: string[];
  sizes: number[];
  codes: Record<string, string[]>;
  labels: Record<string, Record<string, string>>;
  cellCount: number;
  value: (flat: number) => any;
  status: (flat: number) => string | null;
}

class Invalid extends Error {}
function invalid(why: string): never {
  throw new Invalid(why);
}

/** A sparse object keyed by flat index: every key an index below cellCount, every value allowed. */
function checkSparse(what: string, o: Record<string, any>, cellCount: number, ok: (v: any) => boolean): void {
  for (const [k, v] of Object.entries(o)) {
    if (!FLAT.test(k) || Number(k) >= cellCount) invalid(`${what} key ${k}`);
    if (!ok(v)) invalid(`${what}[${k}] is ${JSON.stringify(v)}`);
  }
}

/**
 * What the input says, written from the JSON-stat 2.0 text and independent of the decoder: throws
 * Invalid when the input contradicts itself (then no decode may succeed).
 */
function oracle(j: any, allowEmpty: boolean): Expected {
  if (!isObj(j)) invalid('not an object');
  const { id, size, dimension, value, status, role } = j;
  if (!Array.isArray(id) || id.length === 0 || !id.every((x) => typeof x === 'string')) invalid('id');
  if (!Array.isArray(size) || !size.every((n) => Number.isInteger(n) && n >= 0)) invalid('size');
  if (id.length !== size.length) invalid('id/size length');
  if (new Set(id).size !== id.length) invalid('duplicate id');
  if (!isObj(dimension)) invalid('dimension');
  const cellCount = size.reduce((a: number, b: number) => a * b, 1);
  const noValues = value === undefined || (Array.isArray(value) && value.length === 0) || (isObj(value) && Object.keys(value).length === 0);
  const hasValues = !(allowEmpty && noValues);

  const codes: Record<string, string[]> = {};
  const labels: Record<string, Record<string, string>> = {};
  id.forEach((d: string, i: number) => {
    if (!own(dimension, d)) invalid(`no dimension ${d}`);
    const cat = dimension[d]?.category;
    if (!isObj(cat)) invalid(`${d}.category`);
    const { index, label } = cat;
    if (label !== undefined && (!isObj(label) || !Object.values(label).every((l) => typeof l === 'string'))) invalid(`${d} label`);
    let cs: string[];
    if (index === undefined) {
      if (label === undefined || Object.keys(label).length !== 1) invalid(`${d}: no index, not one label`);
      cs = Object.keys(label);
    } else if (Array.isArray(index)) {
      if (!index.every((c) => typeof c === 'string') || new Set(index).size !== index.length) invalid(`${d} index array`);
      cs = [...index];
    } else if (isObj(index)) {
      const entries = Object.entries(index);
      if (!entries.every(([, p]) => Number.isInteger(p) && p >= 0)) invalid(`${d} index position`);
      const positions = entries.map(([, p]) => p as number);
      if (new Set(positions).size !== positions.length) invalid(`${d} duplicate position`);
      if (hasValues && !positions.every((p) => p < positions.length)) invalid(`${d} positions not 0..n-1`);
      cs = entries.sort((a, b) => (a[1] as number) - (b[1] as number)).map(([c]) => c);
    } else invalid(`${d} index type`);
    if (cs.length !== size[i]) invalid(`${d}: ${cs.length} codes, size ${size[i]}`);
    codes[d] = cs;
    labels[d] = Object.fromEntries(cs.map((c) => [c, own(label, c) ? (label[c] as string) : c]));
  });

  if (role !== undefined) {
    if (!isObj(role)) invalid('role');
    for (const k of ['time', 'geo', 'metric']) {
      if (role[k] === undefined) continue;
      if (!Array.isArray(role[k]) || !role[k].every((r: any) => typeof r === 'string' && id.includes(r))) invalid(`role.${k}`);
    }
  }

  let readValue: (flat: number) => any = () => null;
  if (hasValues) {
    if (Array.isArray(value)) {
      if (value.length !== cellCount || !value.every(isCell)) invalid('value array');
      readValue = (f) => value[f];
    } else if (isObj(value)) {
      checkSparse('value', value, cellCount, isCell);
      readValue = (f) => (own(value, String(f)) ? value[String(f)] : null);
    } else invalid('value');
  }

  let readStatus: (flat: number) => string | null = () => null;
  const isSymbol = (s: any) => s === null || typeof s === 'string';
  if (typeof status === 'string') readStatus = () => status;
  else if (Array.isArray(status)) {
    if (!status.every(isSymbol)) invalid('status element');
    if (status.length === 1) readStatus = () => status[0];
    else if (status.length === cellCount) readStatus = (f) => status[f];
    else invalid('status length');
  } else if (isObj(status)) {
    checkSparse('status', status, cellCount, isSymbol);
    readStatus = (f) => (own(status, String(f)) ? status[String(f)] : null);
  } else if (status !== undefined) invalid('status');

  return { ids: id, sizes: size, codes, labels, cellCount, value: readValue, status: readStatus };
}

/** Fails the property with a message (plain comparisons: `expect` per cell is too slow here). */
function fail(what: string, got: unknown, want: unknown): never {
  throw new Error(`${what}: decoded ${JSON.stringify(got)}, the input says ${JSON.stringify(want)}`);
}

/** Every decoded cell, read three ways, is what the oracle reads from the input. */
function expectMatches(ds: JsonStatDataset, e: Expected): void {
  expect(ds.ids).toEqual(e.ids);
  expect(ds.sizes).toEqual(e.sizes);
  expect(ds.cellCount).toBe(e.cellCount);
  const positions = e.ids.map((d) => new Map(e.codes[d]!.map((c, p) => [c, p])));
  for (const d of e.ids) {
    expect(ds.dimensions[d]!.codes).toEqual(e.codes[d]);
    expect(ds.dimensions[d]!.labels).toEqual(e.labels[d]);
  }
  let n = 0;
  for (const c of ds.cells()) {
    // The row-major flat index from the cell's coordinates, with the oracle's codes and sizes.
    let flat = 0;
    e.ids.forEach((d, i) => {
      const pos = positions[i]!.get(c.coords[d]!);
      if (pos === undefined) fail(`cell ${n} coordinate ${d}`, c.coords[d], e.codes[d]);
      flat = flat * e.sizes[i]! + pos;
    });
    if (flat !== n) fail(`cell ${n} coordinates ${JSON.stringify(c.coords)}`, n, flat);
    if (!Object.is(c.value, e.value(flat))) fail(`value of cell ${flat}`, c.value, e.value(flat));
    if (c.status !== e.status(flat)) fail(`status of cell ${flat}`, c.status, e.status(flat));
    const again = ds.get(c.coords);
    if (!again || !Object.is(again.value, c.value) || again.status !== c.status) fail(`get(${JSON.stringify(c.coords)})`, again, c);
    n++;
  }
  if (n !== e.cellCount) fail('cell count', n, e.cellCount);
}

const KINDS = ['schema', 'size-mismatch', 'dimension-mismatch'];

/** Decodes; a JsonStatError of a known kind is an answer, any other exception fails the property. */
function decodeOrError(j: unknown, allowEmpty: boolean): JsonStatDataset | JsonStatError {
  try {
    return decodeJsonStat(j, { allowEmptyValues: allowEmpty });
  } catch (e) {
    if (!(e instanceof JsonStatError)) throw new Error(`decodeJsonStat threw ${String(e)}`, { cause: e });
    expect(KINDS).toContain(e.kind);
    expect(e.message.length).toBeGreaterThan(0);
    return e;
  }
}

/** The property: known error, or a decode the oracle agrees with cell for cell. */
function check(j: unknown, allowEmpty: boolean): 'accepted' | 'refused' {
  const got = decodeOrError(j, allowEmpty);
  let expected: Expected | Invalid;
  try {
    expected = oracle(j, allowEmpty);
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    expected = e;
  }
  if (got instanceof JsonStatError) return 'refused';
  if (expected instanceof Invalid) throw new Error(`decoded an input the oracle refuses (${expected.message})`);
  expectMatches(got, expected);
  return 'accepted';
}

// --- Mutations --------------------------------------------------------------------------------

const cellArb = fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.string({ maxLength: 4 }), oddValue);

const dimIds = (j: any): string[] => (isObj(j?.dimension) ? Object.keys(j.dimension) : []);
const catOf = (j: any, n: number): any => {
  const d = pick(dimIds(j), n);
  return d === undefined ? undefined : j.dimension[d]?.category;
};
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  genericMutation,
  genericMutation,
  // value: truncate, extend, change one cell, sparse object form, odd keys.
  fc.nat(3).map((n): Mutation => (j) => void (Array.isArray(j.value) && j.value.splice(j.value.length - 1 - n, n + 1))),
  fc.array(cellArb, { minLength: 1, maxLength: 3 }).map((vs): Mutation => (j) => void (Array.isArray(j.value) && j.value.push(...vs))),
  fc.record({ i: fc.nat(), v: cellArb }).map(({ i, v }): Mutation => (j) => {
    if (Array.isArray(j.value) && j.value.length > 0) j.value[i % j.value.length] = v;
    else if (isObj(j.value)) j.value[String(i % 50)] = v;
  }),
  fc.record({ keep: fc.nat(4), seed: fc.nat() }).map(({ keep, seed }): Mutation => (j) => {
    if (!Array.isArray(j.value)) return;
    // Sparse form: nulls may go, and some other cells when keep is 0 (those then read null).
    const entries = j.value.map((v: any, i: number) => [String(i), v] as const).filter(([i, v]: [string, any]) => v !== null || (Number(i) + seed) % 3 === 0);
    j.value = Object.fromEntries(shuffle<[string, unknown]>(entries.filter((_e: unknown, k: number) => keep > 0 || (k + seed) % 5 !== 0), seed));
  }),
  fc.record({ k: fc.constantFrom('-1', '01', '1.0', ' 1', '1e2', '999999', '99999999999999999999', 'x', '__proto__', 'NaN'), v: cellArb }).map(
    ({ k, v }): Mutation => (j) => {
      if (isObj(j.value)) j.value[k] = v;
      else if (isObj(j.status)) j.status[k] = typeof v === 'string' ? v : ':';
    },
  ),
  // size and id.
  fc.record({ i: fc.nat(), d: fc.constantFrom(-1, 1, -2, 2, 0.5, 1e9, 2 ** 31, 2 ** 53) }).map(({ i, d }): Mutation => (j) => {
    if (Array.isArray(j.size) && j.size.length > 0) j.size[i % j.size.length] += d;
  }),
  fc.record({ i: fc.nat(), v: oddValue }).map(({ i, v }): Mutation => (j) => {
    if (Array.isArray(j.size) && j.size.length > 0) j.size[i % j.size.length] = v;
  }),
  fc.nat().map((seed): Mutation => (j) => {
    if (Array.isArray(j.id)) j.id = shuffle(j.id, seed);
  }),
  fc.nat().map((seed): Mutation => (j) => {
    // id and size shuffled together: a consistent re-ordering the decoder must follow.
    if (!Array.isArray(j.id) || !Array.isArray(j.size) || j.id.length !== j.size.length) return;
    const order = shuffle<number>(j.id.map((_: unknown, i: number) => i), seed);
    j.id = order.map((i: number) => j.id[i]);
    j.size = order.map((i: number) => j.size[i]);
  }),
  fc.record({ i: fc.nat(), both: fc.boolean(), dup: fc.boolean() }).map(({ i, both, dup }): Mutation => (j) => {
    if (!Array.isArray(j.id) || j.id.length === 0) return;
    const k = i % j.id.length;
    if (dup) j.id.push(j.id[k]);
    else j.id.splice(k, 1);
    if (both && Array.isArray(j.size)) {
      if (dup) j.size.push(j.size[k]);
      else j.size.splice(k, 1);
    }
  }),
  // category.index: both forms, converted and corrupted.
  fc.record({ d: fc.nat(), seed: fc.nat() }).map(({ d, seed }): Mutation => (j) => {
    const cat = catOf(j, d);
    if (!isObj(cat)) return;
    if (Array.isArray(cat.index)) cat.index = Object.fromEntries(shuffle(cat.index.map((c: any, p: number) => [c, p]), seed));
    else if (isObj(cat.index)) {
      const entries = Object.entries(cat.index);
      if (entries.every(([, p]) => typeof p === 'number')) cat.index = entries.sort((a: any, b: any) => a[1] - b[1]).map(([c]) => c);
    }
  }),
  fc.record({ d: fc.nat(), seed: fc.nat(), op: fc.nat(5), v: oddValue }).map(({ d, seed, op, v }): Mutation => (j) => {
    const cat = catOf(j, d);
    if (!isObj(cat)) return;
    if (Array.isArray(cat.index) && cat.index.length > 0) {
      const k = seed % cat.index.length;
      if (op === 0) cat.index = shuffle(cat.index, seed);
      else if (op === 1) cat.index.push(cat.index[k]);
      else if (op === 2) cat.index.splice(k, 1);
      else if (op === 3) cat.index.push(`NEW${seed % 7}`);
      else cat.index[k] = v;
    } else if (isObj(cat.index)) {
      const codes = Object.keys(cat.index);
      const code = pick(codes, seed);
      if (code === undefined) return;
      if (op === 0) reorder(cat.index, seed);
      else if (op === 1) cat.index[code] = (cat.index[code] as number) + 1;
      else if (op === 2) delete cat.index[code];
      else if (op === 3) cat.index[`NEW${seed % 7}`] = codes.length;
      else if (op === 4) cat.index[code] = cat.index[pick(codes, seed + 1)!];
      else cat.index[code] = v;
    }
  }),
  fc.record({ d: fc.nat(), v: oddValue }).map(({ d, v }): Mutation => (j) => {
    const cat = catOf(j, d);
    if (isObj(cat)) {
      if (v === null) delete cat.index;
      else cat.label = isObj(v) ? v : { only: String(v) };
    }
  }),
  // status: every form, and garbage.
  fc.oneof(
    fc.constantFrom<any>(undefined, '..', [':'], [], [null], ['a', 'b'], {}, { '0': '..' }, { '0': 5 }, 7, true, null, [[':']], { x: ':' }),
    fc.array(fc.option(fc.constantFrom('.', '..', ':', 'e')), { maxLength: 4 }),
  ).map((s): Mutation => (j) => {
    if (s === undefined) delete j.status;
    else j.status = structuredClone(s);
  }),
  fc.record({ seed: fc.nat(), sparse: fc.boolean() }).map(({ seed, sparse }): Mutation => (j) => {
    // A status per cell, dense or sparse, of the right length for the current size.
    const n = Array.isArray(j.size) && j.size.every((x: any) => Number.isInteger(x) && x >= 0) ? j.size.reduce((a: number, b: number) => a * b, 1) : 0;
    if (n > 10_000) return;
    const all = Array.from({ length: n }, (_, i) => ((i + seed) % 4 === 0 ? '..' : (i + seed) % 4 === 1 ? null : ':'));
    j.status = sparse ? Object.fromEntries(all.map((s, i) => [String(i), s] as const).filter(([, s]) => s !== null)) : all;
  }),
  // role.
  fc.constantFrom<any>({ geo: ['Nope'] }, { time: 'Tid' }, [], null, {}).map((r): Mutation => (j) => void (j.role = structuredClone(r))),
);

const fileArb = fc.constantFrom(...FILES);

describe('decodeJsonStat fuzz on mutated recorded fixtures', () => {
  it(`returns a decode the oracle agrees with, or a JsonStatError (${RUNS} mutated documents)`, () => {
    const tally = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fileArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (file, muts, allowEmpty) => {
        const j = fresh(file);
        for (const m of muts) m(j);
        tally[check(j, allowEmpty || METADATA.includes(file))]++;
      }),
      { numRuns: RUNS },
    );
    // Both branches are exercised: a fuzzer whose mutations were always refused would prove nothing.
    expect(tally.accepted).toBeGreaterThan(RUNS / 20);
    expect(tally.refused).toBeGreaterThan(RUNS / 20);
  }, TIMEOUT);

  it('the unmutated fixtures decode and agree with the oracle', () => {
    for (const f of FILES) expect(check(fresh(f), METADATA.includes(f)), f).toBe('accepted');
  }, TIMEOUT);

  it(`changing one entry of a fixture's value changes exactly that cell (${RUNS} edits)`, () => {
    const withValues = FILES.filter((f) => !METADATA.includes(f));
    const before = new Map(withValues.map((f) => [f, [...decodeJsonStat(fresh(f)).cells()]]));
    fc.assert(
      fc.property(fc.constantFrom(...withValues), fc.nat(), fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 5 })), (file, i, v) => {
        const j = fresh(file);
        const flat = i % before.get(file)!.length;
        const sparse = !Array.isArray(j.value);
        if (sparse) {
          if (v === null) delete j.value[String(flat)];
          else j.value[String(flat)] = v;
        } else j.value[flat] = v;
        const after = [...decodeJsonStat(j).cells()];
        const old = before.get(file)!;
        expect(after).toHaveLength(old.length);
        after.forEach((c, k) => {
          const want = k === flat ? { ...old[k]!, value: v } : old[k]!;
          if (!Object.is(c.value, want.value) || c.status !== want.status || Object.keys(c.coords).some((d) => c.coords[d] !== want.coords[d])) fail(`cell ${k}`, c, want);
        });
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it(`a truncated response never reaches the decoder: JSON.parse refuses every prefix (${RUNS} cuts)`, () => {
    // decodeJsonStat takes parsed JSON (the caller parses); a cut body is the caller's SyntaxError.
    fc.assert(
      fc.property(fileArb, fc.nat(), (file, at) => {
        const text = texts.get(file)!.trimEnd();
        expect(() => JSON.parse(text.slice(0, at % text.length))).toThrow(SyntaxError);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it(`arbitrary JSON values are refused with a JsonStatError (${RUNS} values)`, () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (j, allowEmpty) => void check(j, allowEmpty)),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
