// diffSortedKeys against a Set-based reference on random key sets (property-style, seeded).
import { describe, expect, it } from 'vitest';
import { UnsortedKeysError, diffSortedKeys, fromIterable, type KeyDiffEntry } from '../../../src/domain/lots/key-diff';

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['0', '1', '9', 'a', 'B', 'z', '-', '/', 'æ', 'Ø', ' '];

function randomKey(r: () => number): string {
  const len = Math.floor(r() * 4); // includes the empty key
  let s = '';
  for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

const byJs = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The Set-based diff ingest does today, in ascending key order. */
function reference(feed: readonly string[], stored: readonly string[]): KeyDiffEntry[] {
  const f = new Set(feed);
  const s = new Set(stored);
  return [...new Set([...f, ...s])].sort(byJs).map((key) => ({ key, kind: f.has(key) ? (s.has(key) ? 'seen' : 'new') : 'gone' }));
}

async function collect(gen: AsyncIterable<KeyDiffEntry>): Promise<KeyDiffEntry[]> {
  const out: KeyDiffEntry[] = [];
  for await (const e of gen) out.push(e);
  return out;
}

const diff = (feed: readonly string[], stored: readonly string[]) => collect(diffSortedKeys(fromIterable(feed), fromIterable(stored)));

describe('diffSortedKeys', () => {
  it('classifies new, seen and gone keys in ascending order', async () => {
    expect(await diff(['a', 'c', 'd'], ['b', 'c', 'e'])).toEqual([
      { kind: 'new', key: 'a' },
      { kind: 'gone', key: 'b' },
      { kind: 'seen', key: 'c' },
      { kind: 'new', key: 'd' },
      { kind: 'gone', key: 'e' },
    ]);
  });

  it('handles empty streams', async () => {
    expect(await diff([], [])).toEqual([]);
    expect(await diff(['a'], [])).toEqual([{ kind: 'new', key: 'a' }]);
    expect(await diff([], ['a'])).toEqual([{ kind: 'gone', key: 'a' }]);
  });

  it('agrees with the Set-based reference on 500 random key sets (feed duplicates included)', async () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const feed = Array.from({ length: Math.floor(r() * 40) }, () => randomKey(r)).sort(byJs); // may repeat
      const stored = [...new Set(Array.from({ length: Math.floor(r() * 40) }, () => randomKey(r)))].sort(byJs);
      const got = await diff(feed, stored);
      expect(got, `seed ${seed}`).toEqual(reference(feed, stored));
    }
  });

  it('reports a key repeated in the feed once', async () => {
    expect(await diff(['a', 'a', 'b', 'b', 'b'], ['b'])).toEqual([
      { kind: 'new', key: 'a' },
      { kind: 'seen', key: 'b' },
    ]);
  });

  it('uses JavaScript string order (code units), not locale order', async () => {
    // 'B' (0x42) < 'a' (0x61) < 'Ø' (0xd8) < 'æ' (0xe6); a locale order would put them differently.
    expect(await diff(['B', 'a', 'Ø', 'æ'], ['a'])).toEqual([
      { kind: 'new', key: 'B' },
      { kind: 'seen', key: 'a' },
      { kind: 'new', key: 'Ø' },
      { kind: 'new', key: 'æ' },
    ]);
  });

  it('throws a clear error when the feed is not ascending', async () => {
    const err = await diff(['a', 'c', 'b'], []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsortedKeysError);
    expect(err).toMatchObject({ stream: 'feed', index: 2, previous: 'c', key: 'b' });
    expect((err as Error).message).toBe('feed keys are not in ascending order (JavaScript string order): key 2 "b" comes after "c".');
  });

  it('throws when stored keys are out of order or repeated', async () => {
    await expect(diff([], ['b', 'a'])).rejects.toMatchObject({ name: 'UnsortedKeysError', stream: 'stored', key: 'a' });
    await expect(diff(['x'], ['a', 'a'])).rejects.toThrow(/stored keys are not in ascending order.*"a" repeats "a"\. Stored keys must be strictly ascending/);
  });

  it('detects disorder in random shuffles (property)', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const keys = [...new Set(Array.from({ length: 2 + Math.floor(r() * 30) }, () => randomKey(r)))].sort(byJs);
      if (keys.length < 2) continue;
      const i = Math.floor(r() * (keys.length - 1));
      [keys[i], keys[i + 1]] = [keys[i + 1]!, keys[i]!];
      await expect(diff(keys, []), `seed ${seed}`).rejects.toBeInstanceOf(UnsortedKeysError);
      await expect(diff([], keys), `seed ${seed}`).rejects.toBeInstanceOf(UnsortedKeysError);
    }
  });

  it('releases both sources when the consumer stops early', async () => {
    const closed: string[] = [];
    async function* source(name: string, keys: string[]) {
      try {
        yield* keys;
      } finally {
        closed.push(name);
      }
    }
    for await (const e of diffSortedKeys(source('feed', ['a', 'b', 'c']), source('stored', ['a', 'b']))) {
      if (e.key === 'a') break;
    }
    expect(closed.sort()).toEqual(['feed', 'stored']);
  });

  it('streams: pulls stored keys only as far as the merge has reached', async () => {
    let pulled = 0;
    async function* stored() {
      for (let i = 0; i < 1_000_000; i++) {
        pulled++;
        yield `k${String(i).padStart(7, '0')}`;
      }
    }
    const gen = diffSortedKeys(fromIterable(['k0000002']), stored());
    expect(await gen.next()).toEqual({ done: false, value: { kind: 'gone', key: 'k0000000' } });
    expect((await gen.next()).value).toEqual({ kind: 'gone', key: 'k0000001' });
    expect((await gen.next()).value).toEqual({ kind: 'seen', key: 'k0000002' });
    await gen.return(undefined);
    expect(pulled).toBeLessThan(10);
  });
});
