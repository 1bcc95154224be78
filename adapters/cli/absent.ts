// Stand-ins for what a command must not touch. Its own module so `tomte hjelp` can use one
// without loading the session (and with it the database code).
import type { ReadModel } from '../../src/services/read-model';

/** An object whose every property access throws `message`: touching it is a bug, and says so. */
export function absent(message: string): never {
  return new Proxy(
    {},
    {
      get() {
        throw new Error(message);
      },
    },
  ) as never;
}

/** A read model for commands that need no data (`hjelp`). */
export function dataFreeReadModel(): ReadModel {
  return absent('this command needs no data, yet it read the read model');
}
