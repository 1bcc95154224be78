// One msw server for the test files that call upstream APIs. Any request without a handler fails
// the test, so no test reaches the network by accident.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const server = setupServer();

/** Starts the server for the calling test file; per-test handlers go in with `server.use`. */
export function useMsw(): void {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
}
