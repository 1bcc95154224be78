// A streaming diff of a feed's lot keys against the stored keys, both in ascending order: a merge
// of two sorted streams that holds one key of each at a time (O(1) memory), so a source with a
// million stored lots is compared without loading its keys into a Set.

/** `new`: in the feed only; `seen`: in both; `gone`: stored only. */
export type KeyDiffKind = 'new' | 'seen' | 'gone';

export interface KeyDiffEntry {
  kind: KeyDiffKind;
  key: string;
}

/** A stream was not in ascending order (or the stored stream repeated a key). */
export class UnsortedKeysError extends Error {
  override readonly name = 'UnsortedKeysError';
  constructor(
    readonly stream: 'feed' | 'stored',
    /** 0-based position of the offending key in its stream (duplicates included). */
    readonly index: number,
    readonly previous: string,
    readonly key: string,
  ) {
    super(
      `${stream} keys are not in ascending order (JavaScript string order): key ${index} ${JSON.stringify(key)} ` +
        `${key === previous ? 'repeats' : 'comes after'} ${JSON.stringify(previous)}` +
        (stream === 'stored' ? '. Stored keys must be strictly ascending; SQL must order by key collate "C".' : '.'),
    );
  }
}

/**
 * Checks the order of a key stream as it passes. The feed may repeat a key (a feed listing a lot
 * twice: ingest keeps the first), so equal neighbours are dropped; stored keys are a primary key,
 * so a repeat there is an error.
 */
async function* ascending(keys: AsyncIterable<string>, stream: 'feed' | 'stored'): AsyncGenerator<string, void, undefined> {
  let previous: string | undefined;
  let index = 0;
  for await (const key of keys) {
    if (previous !== undefined && key <= previous) {
      if (key !== previous || stream === 'stored') throw new UnsortedKeysError(stream, index, previous, key);
    } else {
      yield key;
    }
    previous = key;
    index++;
  }
}

/**
 * Merges the feed's keys with the stored keys, both ascending in JavaScript string order (`<`,
 * UTF-16 code units; PostgreSQL's `collate "C"` gives the same order for keys without characters
 * outside the Basic Multilingual Plane, and a difference is caught as an UnsortedKeysError rather
 * than producing a wrong diff). Yields every key once, in ascending order, with its kind.
 *
 * Duplicates: a key repeated in the feed is reported once (ingest keeps the first occurrence);
 * a key repeated in the stored stream throws. A key out of order in either stream throws an
 * UnsortedKeysError when it is reached, after the entries before it have been yielded.
 */
export async function* diffSortedKeys(feed: AsyncIterable<string>, stored: AsyncIterable<string>): AsyncGenerator<KeyDiffEntry, void, undefined> {
  const f = ascending(feed, 'feed');
  const s = ascending(stored, 'stored');
  try {
    let a = await f.next();
    let b = await s.next();
    while (!a.done && !b.done) {
      if (a.value < b.value) {
        yield { kind: 'new', key: a.value };
        a = await f.next();
      } else if (a.value > b.value) {
        yield { kind: 'gone', key: b.value };
        b = await s.next();
      } else {
        yield { kind: 'seen', key: a.value };
        a = await f.next();
        b = await s.next();
      }
    }
    for (; !a.done; a = await f.next()) yield { kind: 'new', key: a.value };
    for (; !b.done; b = await s.next()) yield { kind: 'gone', key: b.value };
  } finally {
    // A consumer that stops early (or an error) releases both sources (e.g. a database cursor).
    await Promise.allSettled([f.return(undefined), s.return(undefined)]);
  }
}

/** An array (or any iterable) as an async stream, for callers holding a sorted array. */
export async function* fromIterable<T>(items: Iterable<T>): AsyncGenerator<T, void, undefined> {
  yield* items;
}
