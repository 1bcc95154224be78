// A scored PGlite runtime as a vitest hook (kept apart from runtime.ts, which the benchmarks
// import outside vitest).
import { afterAll, beforeAll } from 'vitest';
import type { ReadModel } from '../../src/services/read-model';
import type { Db } from '../../src/store/db';
import { backends, type TestDb } from './db';
import { prepareRuntime } from './runtime';

/**
 * A scored runtime on PGlite for a whole test file (or describe block): opened before the first
 * test, closed after the last. `db` and `rm` throw if used before it is ready.
 */
export function useScoredRuntime(): { readonly db: Db; readonly rm: ReadModel } {
  let t: TestDb | undefined;
  let rm: ReadModel | undefined;
  beforeAll(async () => {
    t = await backends.find((b) => b.name === 'pglite')!.open('seed');
    rm = (await prepareRuntime(t.db)).readModel;
  });
  afterAll(async () => {
    await t?.close();
  });
  return {
    get db() {
      if (!t) throw new Error('runtime not open');
      return t.db;
    },
    get rm() {
      if (!rm) throw new Error('read model not loaded');
      return rm;
    },
  };
}
