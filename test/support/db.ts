// Runs database tests against every available backend: PGlite always, PostgreSQL when
// TOMTE_TEST_PG_URL points at a server (e.g. postgres://postgres@127.0.0.1:5432/test).
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { describe, inject, it } from 'vitest';
import type { DatabaseHandle } from '../../adapters/db/handle';
import { migrateDatabase } from '../../adapters/db/migrate';
import { openPglite } from '../../adapters/db/pglite';
import { openPostgres } from '../../adapters/db/postgres';
import type { Db } from '../../src/store/db';
import type { TemplateKind, Templates } from './templates';

export type BackendName = 'pglite' | 'postgres';

export interface TestDb {
  db: Db;
  close(): Promise<void>;
  kind: BackendName;
  /** PostgreSQL only: another connection pool to the same database (two dispatchers, two schedulers). */
  openAnother?: () => Promise<DatabaseHandle>;
}

export interface Backend {
  name: BackendName;
  /** A new database of its own: empty and migrated, or a copy of a template (see templates.ts). */
  open(kind?: TemplateKind): Promise<TestDb>;
}

const PG_URL_VAR = 'TOMTE_TEST_PG_URL';
const pgUrl = process.env[PG_URL_VAR] || undefined;

/** The templates the global setup built, or null outside a vitest run (benchmarks). */
function templates(): Templates | null {
  try {
    return inject('tomteTemplates') ?? null;
  } catch {
    return null;
  }
}

const tarballs = new Map<string, Blob>();

async function openPgliteTestDb(kind: TemplateKind = 'empty'): Promise<TestDb> {
  const path = templates()?.pglite[kind];
  if (path === undefined) {
    if (kind !== 'empty') throw new Error(`no ${kind} template outside a vitest run`);
    return migrated(await openPglite({}));
  }
  let blob = tarballs.get(path);
  if (!blob) tarballs.set(path, (blob = new Blob([readFileSync(path)])));
  const handle = await openPglite({ loadDataDir: blob });
  return { db: handle.db, close: () => handle.close(), kind: handle.kind };
}

/**
 * A new, empty database on the server at `baseUrl`, and how to drop it. A separate admin
 * connection creates and drops it: a database cannot be dropped from a session connected to it.
 * Shared by the PostgreSQL test suites and the benchmarks.
 */
export async function temporaryDatabase(baseUrl: string, prefix = 'tomte_t', template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`);
  } catch (err) {
    await admin.end();
    throw err;
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      try {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A fresh database per call, so suites can run in parallel and leave nothing behind. */
async function openPostgresTestDb(baseUrl: string, kind: TemplateKind = 'empty'): Promise<TestDb> {
  const template = templates()?.postgres?.[kind];
  if (template === undefined && kind !== 'empty') throw new Error(`no ${kind} template outside a vitest run`);
  const { url, drop: dropDatabase } = await temporaryDatabase(baseUrl, 'tomte_t', template);
  const handle = await openPostgres(url);
  try {
    // A copy of a template is migrated already; an empty database is migrated here.
    const testDb = template ? { db: handle.db, close: () => handle.close(), kind: handle.kind } : await migrated(handle);
    const others: DatabaseHandle[] = [];
    return {
      ...testDb,
      openAnother: async () => {
        const h = await openPostgres(url);
        others.push(h);
        return h;
      },
      async close() {
        try {
          for (const h of others) await h.close().catch(() => {});
          await handle.close();
        } finally {
          await dropDatabase();
        }
      },
    };
  } catch (err) {
    await handle.close().catch(() => {});
    await dropDatabase();
    throw err;
  }
}

async function migrated(handle: DatabaseHandle): Promise<TestDb> {
  try {
    await migrateDatabase(handle);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return { db: handle.db, close: () => handle.close(), kind: handle.kind };
}

export const backends: Backend[] = [
  { name: 'pglite', open: openPgliteTestDb },
  ...(pgUrl ? [{ name: 'postgres' as const, open: (kind?: TemplateKind) => openPostgresTestDb(pgUrl, kind) }] : []),
];

/**
 * Declares the suite once per available backend. Without a PostgreSQL URL the postgres variant is
 * reported as skipped rather than silently missing, so a green run cannot hide untested code.
 */
export function describeEachBackend(title: string, fn: (open: (kind?: TemplateKind) => Promise<TestDb>) => void): void {
  describeOnBackend('pglite', title, fn);
  describeOnBackend('postgres', title, fn);
}

/**
 * The suite on one backend. A long suite is declared in one test file per backend, so vitest runs
 * the two in parallel instead of one after the other in a single file.
 */
export function describeOnBackend(name: BackendName, title: string, fn: (open: (kind?: TemplateKind) => Promise<TestDb>) => void): void {
  const backend = backends.find((b) => b.name === name);
  if (backend) {
    describe(`${title} [${backend.name}]`, () => fn(backend.open));
  } else {
    describe(`${title} [${name}]`, () => {
      it.skip(`skipped because ${PG_URL_VAR} is not set: this suite's PostgreSQL run needs a server (CI sets it)`, () => {});
    });
  }
}
