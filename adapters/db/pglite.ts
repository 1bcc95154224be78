import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as schema from '../../src/store/schema';
import type { PgliteHandle } from './handle';

export const LOCK_FILE_NAME = 'tomte.lock';

/** Another live process (or this one) has the PGlite data directory open. */
export class DatabaseLockedError extends Error {
  override readonly name = 'DatabaseLockedError';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      pid === process.pid
        ? `The database in ${dataDir} is already open in this process. Close the other handle first.`
        : `The database in ${dataDir} is in use by process ${pid}. PGlite allows one process per data ` +
            `directory: stop that process, or use another directory. If process ${pid} is not tomte, ` +
            `delete ${join(dataDir, LOCK_FILE_NAME)}.`,
    );
  }
}

export interface OpenPgliteOptions {
  /** Directory for the database files; undefined gives a throwaway in-memory database. */
  dataDir?: string;
  /** A tarball of a data directory (PGlite's `dumpDataDir`) to start from instead of an empty one. */
  loadDataDir?: Blob;
}

export async function openPglite(options: OpenPgliteOptions = {}): Promise<PgliteHandle> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  let releaseLock = (): void => {};
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireLock(dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  } catch (err) {
    releaseLock();
    throw err;
  }
  const db = drizzle({ client, schema, casing: 'snake_case' });
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    db,
    close() {
      // Idempotent: shutdown paths often close twice (signal handler and finally block).
      closed ??= client.close().finally(releaseLock);
      return closed;
    },
  };
}

/**
 * Lock paths held by this process. The pid alone cannot tell "open twice in this process" from
 * "left behind by an earlier process that had the same pid", which is common in containers where
 * the app is always pid 1; this set can.
 */
const heldLocks = new Set<string>();

/**
 * PGlite has no multi-process coordination: two processes on one data directory corrupt it. An
 * O_EXCL lock file holding our pid keeps a second one out; a lock whose pid is dead is stale and
 * taken over. Two processes taking over the same stale lock at the same instant could both win;
 * that needs a crash plus a simultaneous double start, which we accept.
 */
function acquireLock(dataDir: string): () => void {
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      heldLocks.add(lockPath);
      return () => releaseLock(lockPath);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    const holder = readLockPid(lockPath);
    if (holder !== null && isLockHolderAlive(holder, lockPath)) throw new DatabaseLockedError(dataDir, holder);
    // Stale or unreadable (e.g. a crash between create and write): take it over.
    removeFile(lockPath);
  }
  throw new Error(`Could not acquire ${lockPath}: it keeps reappearing.`);
}

function releaseLock(lockPath: string): void {
  if (!heldLocks.delete(lockPath)) return;
  // Leave the file alone if someone else has since taken it over.
  if (readLockPid(lockPath) === process.pid) removeFile(lockPath);
}

function isLockHolderAlive(pid: number, lockPath: string): boolean {
  if (pid === process.pid) return heldLocks.has(lockPath);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(err) === 'EPERM';
  }
}

function readLockPid(lockPath: string): number | null {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}
