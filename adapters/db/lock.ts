// The PGlite data directory's lock file: one process at a time. Kept apart from pglite.ts so a
// process can ask who holds a data directory without loading PGlite (the CLI's fast paths).
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

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
            `directory: stop that process, or use another directory. If process ${pid} is not tomte (a ` +
            `crash can leave a lock whose pid is later reused), delete ${join(dataDir, LOCK_FILE_NAME)}.`,
    );
  }
}

export interface StaleLockInfo {
  lockPath: string;
  pid: number;
  reason: string;
}

/**
 * Lock paths held by this process. The pid alone cannot tell "open twice in this process" from
 * "left behind by an earlier process that had the same pid", which is common in containers where
 * the app is always pid 1; this set can.
 */
const heldLocks = new Set<string>();

/**
 * PGlite has no multi-process coordination: two processes on one data directory corrupt it. An
 * O_EXCL lock file holding our pid (and, on Linux, our start time) keeps a second one out. A lock
 * is stale, and taken over, when its pid is dead, or alive but not the process that wrote it: a
 * different start time, or (for a lock without one) a program that is not Node. Two processes
 * taking over the same stale lock at the same instant could both win; that needs a crash plus a
 * simultaneous double start, which we accept.
 */
export function acquireLock(dataDir: string, onStale?: (info: StaleLockInfo) => void): () => void {
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        const started = processStartTime(process.pid);
        writeSync(fd, `${process.pid}\n${started !== null ? `started=${started}\n` : ''}`);
      } finally {
        closeSync(fd);
      }
      heldLocks.add(lockPath);
      return () => releaseLock(lockPath);
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
    }
    const holder = readLock(lockPath);
    if (holder !== null) {
      const stale = staleReason(holder, lockPath);
      if (stale === null) throw new DatabaseLockedError(dataDir, holder.pid);
      onStale?.({ lockPath, pid: holder.pid, reason: stale });
    }
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

interface LockHolder {
  pid: number;
  /** The holder's start time in clock ticks since boot (/proc/<pid>/stat), when it wrote one. */
  started: string | null;
}

/** Why the lock's holder does not hold it any more, or null when it does. */
function staleReason(holder: LockHolder, lockPath: string): string | null {
  const { pid } = holder;
  if (pid === process.pid) return heldLocks.has(lockPath) ? null : 'our own pid, from an earlier run';
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    if (errorCode(err) !== 'EPERM') return 'the process is gone';
  }
  const started = processStartTime(pid);
  if (started === null) return null; // No /proc: a live pid is taken at its word.
  if (holder.started !== null) return started === holder.started ? null : `pid ${pid} is now another process (it started after the lock was written)`;
  // A lock from before start times were written: a live pid that is not Node is not tomte.
  const cmd = commandLine(pid);
  if (cmd !== null && !/(^|\/)(node|nodejs|tomte|tsx)(\s|$)|\/tomte\//.test(cmd)) return `pid ${pid} is now another program (${cmd.split(' ')[0]})`;
  return null;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null off Linux. */
function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return null;
  }
}

function readLock(lockPath: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
  const [first, ...rest] = text.split('\n');
  const pid = Number.parseInt((first ?? '').trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const started = rest.map((l) => /^started=(\d+)$/.exec(l.trim())?.[1]).find((x) => x !== undefined) ?? null;
  return { pid, started };
}

function readLockPid(lockPath: string): number | null {
  return readLock(lockPath)?.pid ?? null;
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

/** The pid of the live process holding the data directory, or null when it is free (or the lock is stale). */
export function lockHolder(dataDir: string): number | null {
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  const holder = readLock(lockPath);
  return holder !== null && staleReason(holder, lockPath) === null ? holder.pid : null;
}
