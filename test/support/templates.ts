// Database templates for the test suite, built once per `vitest` run (globalSetup) instead of once
// per test file: an empty migrated database, and the bundled snapshot loaded and scored (seed-2026
// alone, as most suites expect, and every model). PGlite templates are data-directory tarballs in a
// temporary folder; PostgreSQL templates are databases that each test copies with
// `create database … template …`. Every test still gets its own database (hermetic); it only skips
// work whose result is always the same.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../adapters/db/migrate';
import { openPglite } from '../../adapters/db/pglite';
import { openPostgres } from '../../adapters/db/postgres';
import type { DatabaseHandle } from '../../adapters/db/handle';
import { MODELS } from '../../src/domain/scoring/models';
import { seed2026 } from '../../src/domain/scoring/models/seed-2026';
import type { ScoringModel } from '../../src/domain/scoring/model';
import { loadSnapshot } from '../../src/services/load-snapshot';
import { rescore } from '../../src/services/rescore';
import { readSnapshotTexts } from '../../adapters/node/bootstrap';
import { silentLogger } from '../../src/lib/logger';
import type { Db } from '../../src/store/db';
import { FIXED_NOW } from './clock';
import postgres from 'postgres';

/** What a template holds: an empty migrated database, or the snapshot scored by these models. */
export const TEMPLATE_KINDS = {
  empty: null,
  seed: [seed2026],
  all: MODELS,
} as const satisfies Record<string, readonly ScoringModel[] | null>;

export type TemplateKind = keyof typeof TEMPLATE_KINDS;

export interface Templates {
  /** Tarball path per kind (PGlite). */
  pglite: Record<TemplateKind, string>;
  /** Database name per kind on TOMTE_TEST_PG_URL's server, when set. */
  postgres: Record<TemplateKind, string> | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    tomteTemplates: Templates;
  }
}

/** Fills a migrated database the way `prepareRuntime` would: snapshot loaded, scored by `models`. */
export async function fill(db: Db, models: readonly ScoringModel[] | null): Promise<void> {
  if (!models) return;
  const deps = { db, models, model: models[0]!, logger: silentLogger, now: () => new Date(FIXED_NOW) };
  await loadSnapshot(deps, readSnapshotTexts());
  await rescore(deps, 'test');
}

async function buildPglite(dir: string, kind: TemplateKind): Promise<string> {
  const handle = await openPglite({});
  try {
    await migrateDatabase(handle);
    await fill(handle.db, TEMPLATE_KINDS[kind]);
    const dump = await handle.db.$client.dumpDataDir('none');
    const path = join(dir, `${kind}.tar`);
    writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
    return path;
  } finally {
    await handle.close();
  }
}

async function buildPostgres(baseUrl: string, name: string, kind: TemplateKind): Promise<void> {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const handle: DatabaseHandle = await openPostgres(url.toString());
  try {
    await migrateDatabase(handle);
    await fill(handle.db, TEMPLATE_KINDS[kind]);
  } finally {
    // A template must have no open connections when it is copied.
    await handle.close();
  }
}

async function build(): Promise<{ templates: Templates; teardown: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tomte-test-templates-'));
  const kinds = Object.keys(TEMPLATE_KINDS) as TemplateKind[];
  const pg = process.env.TOMTE_TEST_PG_URL || undefined;
  const stamp = `${Date.now().toString(36)}_${process.pid}`;
  const pgNames = pg ? (Object.fromEntries(kinds.map((k) => [k, `tomte_tpl_${k}_${stamp}`])) as Record<TemplateKind, string>) : null;
  const admin = pg ? postgres(pg, { max: 1, onnotice: () => {} }) : null;
  const pglite = {} as Record<TemplateKind, string>;
  try {
    // The two backends side by side: PGlite works in this process, PostgreSQL mostly in its server.
    await Promise.all([
      (async () => {
        for (const k of kinds) pglite[k] = await buildPglite(dir, k);
      })(),
      (async () => {
        if (!admin || !pgNames || !pg) return;
        for (const k of kinds) {
          await admin.unsafe(`create database ${pgNames[k]}`);
          await buildPostgres(pg, pgNames[k], k);
        }
      })(),
    ]);
  } catch (err) {
    await teardown();
    throw err;
  }

  async function teardown(): Promise<void> {
    rmSync(dir, { recursive: true, force: true });
    if (admin && pgNames) {
      for (const name of Object.values(pgNames)) await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    }
  }
  return { templates: { pglite, postgres: pgNames }, teardown };
}

/** One build per `vitest` run, shared by its projects (the isolated and the shared-module files). */
const SHARED = Symbol.for('tomte.test.templates');
type Shared = { built: Promise<{ templates: Templates; teardown: () => Promise<void> }>; users: number };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const g = globalThis as { [SHARED]?: Shared };
  const shared = (g[SHARED] ??= { built: build(), users: 0 });
  shared.users++;
  const { templates, teardown } = await shared.built;
  project.provide('tomteTemplates', templates);
  return async () => {
    if (--shared.users > 0) return;
    delete g[SHARED];
    await teardown();
  };
}
