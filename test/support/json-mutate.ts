// Mutations of parsed JSON for the fuzz tests (test/fuzz/): a random walk picks a node anywhere
// in a document, which is then deleted, replaced by a value of another type, copied elsewhere or
// has its keys reordered. The mutations change the document in place; pass a fresh copy.
/* eslint-disable @typescript-eslint/no-explicit-any -- mutated JSON of any shape is the point here */
import fc from 'fast-check';

export type Mutation = (j: any) => void;

export const isObj = (o: unknown): o is Record<string, any> => o !== null && typeof o === 'object' && !Array.isArray(o);

export const pick = <T>(xs: readonly T[], n: number): T | undefined => (xs.length === 0 ? undefined : xs[n % xs.length]);

/** A deterministic shuffle (a small LCG seeded by `seed`), so shrinking keeps the order. */
export function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const k = s % (i + 1);
    [out[i], out[k]] = [out[k]!, out[i]!];
  }
  return out;
}

/** Rebuilds an object with its keys in another order. */
export function reorder(o: unknown, seed: number): void {
  if (!isObj(o)) return;
  const entries = shuffle(Object.entries(o), seed);
  for (const k of Object.keys(o)) delete o[k];
  for (const [k, v] of entries) o[k] = v;
}

const deep = (n: number): any => (n === 0 ? [] : [deep(n - 1)]);
const deepObj = (n: number): any => (n === 0 ? {} : { a: deepObj(n - 1) });

/** Values of every JSON type and some that JSON cannot carry: huge and odd numbers, NaN-ish strings, deep nesting. */
export const oddValue: fc.Arbitrary<any> = fc.oneof(
  fc.constantFrom<any>(null, true, false, 0, -0, -1, 1, 0.5, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity),
  fc.constantFrom<any>('', '0', '1', 'NaN', 'Infinity', '-Infinity', '1e309', '..', ':', '.', '__proto__', 'constructor', 'toString', '2.0', 'dataset', 'Polygon'),
  fc.constantFrom<any>([], {}, [null], ['a'], [1, 'a', null], { '0': 1 }, { '-1': 1 }, { x: 1 }, deep(2000), deepObj(500)),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 6 }),
);

/** A random walk down the document: the parent and key of the node it stops at. */
export function walk(j: unknown, steps: readonly number[]): [any, string | number] | undefined {
  let parent: any;
  let key: string | number | undefined;
  let node: any = j;
  for (const s of steps) {
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : isObj(node) ? Object.keys(node) : [];
    if (keys.length === 0) break;
    parent = node;
    key = pick(keys, s)!;
    node = node[key];
  }
  return key === undefined ? undefined : [parent, key];
}

const steps = fc.array(fc.nat(), { minLength: 1, maxLength: 7 });

/** Delete, retype, copy or reorder one node found by a random walk. */
export const genericMutation: fc.Arbitrary<Mutation> = fc.oneof(
  steps.map((s): Mutation => (j) => {
    const at = walk(j, s);
    if (!at) return;
    if (Array.isArray(at[0])) at[0].splice(at[1] as number, 1);
    else delete at[0][at[1]];
  }),
  fc.tuple(steps, oddValue).map(([s, v]): Mutation => (j) => {
    const at = walk(j, s);
    if (at) at[0][at[1]] = v;
  }),
  fc.tuple(steps, steps).map(([s, t]): Mutation => (j) => {
    const from = walk(j, s);
    const to = walk(j, t);
    if (!from || !to) return;
    let copy: unknown;
    try {
      copy = structuredClone(from[0][from[1]]);
    } catch (e) {
      // Copies of the deeply nested values, copied into each other, can nest too deep to clone.
      if (e instanceof RangeError) return;
      throw e;
    }
    if (Array.isArray(to[0])) to[0].splice(to[1] as number, 0, copy);
    else to[0][to[1]] = copy;
  }),
  fc.tuple(steps, fc.nat()).map(([s, seed]): Mutation => (j) => {
    const at = walk(j, s);
    reorder(at ? at[0][at[1]] : j, seed);
  }),
);
