// Where a CLI command gets its answer (issue 17), cheapest first:
// 1. the running service, when it holds the embedded database: over its local channel
//    (adapters/node/cli-channel.ts), from its live read model;
// 2. the read-model file a closed embedded database left (adapters/node/read-model-file.ts), for
//    commands that only read the read model: no database is opened at all;
// 3. the database itself (migrated, loaded, scored as `npm start` does); closing it writes the
//    read-model file for the next call. With DATABASE_URL (PostgreSQL) this is the only way.
// When the service holds the database but its channel does not answer, a private in-memory copy of
// the bundled snapshot answers, with a note saying so (the only case the CLI mentions where its
// answer came from).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isVolatileCommand } from '../../src/chat/commands';
import type { Reply } from '../../src/chat/reply';
import type { Lang } from '../../src/domain/localized';
import { ReadModel } from '../../src/services/read-model';
import type { Composition } from '../compose';
import { DatabaseLockedError, lockHolder } from '../db/lock';
import { MODELS, closeRuntime, startRuntime, type Runtime } from '../node/bootstrap';
import { runCommand, runValidation, type ValidationAnswer } from './answers';
import { CHANNEL_FILE, type ChannelFile, type ChannelRequest } from '../node/cli-channel';
import { readReadModelFile } from '../node/read-model-file';
import { bundleKey } from '../node/bundle';
import { absent } from './absent';


export interface Answer<T> {
  value: T;
  /** Said on stderr: only when the answer did not come from the database the service uses. */
  note: string | null;
}

/** A database for `fn`, closed afterwards (leaving the read-model file for the next call). */
async function withDatabase<T>(comp: Composition, fn: (rm: ReadModel, runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await startRuntime(comp);
  try {
    return await fn(runtime.readModel, runtime);
  } finally {
    await closeRuntime(runtime, comp);
  }
}

/** A private in-memory copy of the bundled snapshot (the service holds the database and its channel failed). */
async function withPrivateCopy<T>(comp: Composition, fn: (rm: ReadModel) => Promise<T>): Promise<T> {
  const { openPglite } = await import('../db/pglite');
  const { migrateDatabase } = await import('../db/migrate');
  const handle = await openPglite({});
  await migrateDatabase(handle);
  const runtime = await startRuntime(comp, handle);
  try {
    return await fn(runtime.readModel);
  } finally {
    await handle.close();
  }
}

/** The service's channel, when it holds the embedded database in `dataDir`. */
function channelOf(dataDir: string): ChannelFile | null {
  const holder = lockHolder(dataDir);
  if (holder === null) return null;
  try {
    const file = JSON.parse(readFileSync(join(dataDir, CHANNEL_FILE), 'utf8')) as ChannelFile;
    return file.pid === holder ? file : null;
  } catch {
    return null;
  }
}

async function askService<T>(channel: ChannelFile, request: ChannelRequest): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${channel.port}/cli`, {
    method: 'POST',
    headers: { authorization: `Bearer ${channel.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`the service answered ${res.status}`);
  return (await res.json()) as T;
}

function heldNote(lang: Lang, pid: number, dataDir: string, why: string): string {
  return lang === 'nb'
    ? `Merk: tjenesten (pid ${pid}) bruker databasen i ${dataDir} og svarte ikke (${why}); svaret er regnet fra den medfølgende datapakken.`
    : `Note: the service (pid ${pid}) holds the database in ${dataDir} and did not answer (${why}); this answer is computed from the bundled snapshot.`;
}

/** Refused while the service holds the database: a change made in a throw-away copy would be lost. */
export class HeldByServiceError extends Error {
  constructor(
    readonly pid: number,
    readonly dataDir: string,
  ) {
    super(`the service (pid ${pid}) holds the database in ${dataDir}`);
  }
}

/**
 * Runs `local` on the cheapest read model that can answer (see the top of this file), or asks the
 * service with `remote`. `readOnly`: whether the read-model file may answer.
 */
async function answer<T>(
  comp: Composition,
  lang: Lang,
  opts: { readOnly: boolean; volatile: boolean; remote: ChannelRequest },
  local: (rm: ReadModel) => Promise<T>,
): Promise<Answer<T>> {
  if (comp.config.DATABASE_URL) return { value: await withDatabase(comp, local), note: null };
  const dataDir = comp.config.TOMTE_DATA_DIR;
  const holder = lockHolder(dataDir);
  if (holder !== null) {
    const channel = channelOf(dataDir);
    let why = lang === 'nb' ? 'ingen kanal' : 'no channel';
    if (channel) {
      try {
        return { value: await askService<T>(channel, opts.remote), note: null };
      } catch (err) {
        why = err instanceof Error ? err.message : String(err);
      }
    }
    if (opts.volatile) throw new HeldByServiceError(holder, dataDir);
    return { value: await withPrivateCopy(comp, local), note: heldNote(lang, holder, dataDir, why) };
  }
  if (opts.readOnly) {
    const parts = readReadModelFile(dataDir, bundleKey(MODELS), { lazy: true });
    if (parts) return { value: await local(ReadModel.fromParts(comp.serviceDeps(noDatabase()), parts)), note: null };
  }
  try {
    return { value: await withDatabase(comp, local), note: null };
  } catch (err) {
    // Started between our check and the open: ask again, now through the channel.
    if (err instanceof DatabaseLockedError) return answer(comp, lang, opts, local);
    throw err;
  }
}

/** A database that is not there: the read-model file answers without one. */
function noDatabase(): never {
  return absent('no database is open: the read-model file answers this command');
}

/** One chat command, as the service would answer it. */
export function answerCommand(comp: Composition, text: string, lang: Lang): Promise<Answer<Reply>> {
  // The command table's cacheable commands only read the read model: the read-model file can answer them.
  const volatile = isVolatileCommand(text);
  return answer(comp, lang, { readOnly: !volatile, volatile, remote: { kind: 'command', text, lang } }, (rm) => runCommand(rm, text, lang));
}

/** `valider`: the report for a case list (its text), every model or the ones named. */
export function answerValidation(comp: Composition, lang: Lang, request: { text: string; format: 'csv' | 'json'; models?: string[] }): Promise<Answer<ValidationAnswer>> {
  return answer(comp, lang, { readOnly: true, volatile: false, remote: { kind: 'validate', ...request, lang } }, async (rm) => runValidation(rm, request));
}

