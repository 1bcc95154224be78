// A running HTTP server with the web pages over a scored runtime (every model, praksis-2026 the
// default), a few lots in Bodø and one plan initiative: for the browser tests (a PGlite template
// inside vitest) and the screenshot script (loaded and scored here outside vitest).
import { readFileSync } from 'node:fs';
import { DATA_DIR, KNOWN_CASES_FILE } from '../../adapters/node/bundle';
import { createApp } from '../../src/http/app';
import { silentLogger } from '../../src/lib/logger';
import { MODELS } from '../../src/domain/scoring/models';
import { ReadModel } from '../../src/services/read-model';
import type { ServiceDeps } from '../../src/services/deps';
import { createSignInLink, type WebUser } from '../../src/services/web-auth';
import { ingestLots, ingestPlans } from '../../src/services/lots/ingest';
import { parseGeoJsonLots } from '../../src/sources/lots/geojson';
import { parseDibkPlans } from '../../src/sources/lots/dibk-plans';
import { upsertLotSource } from '../../src/store/repos/lots';
import { listBoundaries } from '../../src/store/repos/boundaries';
import { createWebApp } from '../../src/web/app';
import { handleCommand } from '../../src/chat/commands';
import { openPglite } from '../../adapters/db/pglite';
import { migrateDatabase } from '../../adapters/db/migrate';
import { backends } from './db';
import { listenLocal } from './listen';
import { inside, lotFeature, square } from './lots';
import { prepareRuntime, testDeps } from './runtime';

export const WEB_SECRET = 'web-test-secret-0123456789abcdefghijkl';

export interface WebServer {
  url: string;
  deps: ServiceDeps;
  rm: ReadModel;
  /** A one-time sign-in URL for a user (the service function the chat command calls), optionally made at another time. */
  link(user?: Partial<WebUser>, now?: Date): Promise<string>;
  /** The sign-in URL in the answer of the chat command `web`, as Slack would show it to Kari. */
  chatLink(): Promise<string>;
  close(): Promise<void>;
}

async function addLots(deps: ServiceDeps): Promise<void> {
  const now = deps.now();
  const boundaries = await listBoundaries(deps.db);
  await upsertLotSource(deps.db, { id: 'geojson-bodo', kind: 'geojson', config: { url: 'https://kart.bodo.kommune.no/tomter.geojson', kommune: '1804' }, cadence: 'daily', createdBy: 'test', createdAt: now });
  const spots = inside(boundaries, '1804', 3, 60);
  const features = spots.map(([lon, lat], i) => lotFeature(`1804-${40 + i}/${i + 1}`, `Boligtomt ${i + 1}`, square(lon, lat, 60)));
  await ingestLots(deps, 'geojson-bodo', parseGeoJsonLots({ type: 'FeatureCollection', features }, { sourceId: 'geojson-bodo' }), boundaries, { baseline: true });
  await upsertLotSource(deps.db, { id: 'dibk', kind: 'dibk-plans', config: {}, cadence: 'daily', createdBy: 'test', createdAt: now });
  const [lon, lat] = inside(boundaries, '1804', 4, 300)[3]!;
  const plan = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: 4522,
        properties: { nasjonalArealplanId: { kommunenummer: '1804', planid: '2026/007' }, plannavn: 'Detaljregulering Hunstad sør', plantype: 'Detaljregulering', kunngjøringsdatoVarselOmPlanoppstart: '2026-11-20' },
        geometry: square(lon, lat, 300),
      },
    ],
  };
  await ingestPlans(deps, 'dibk', parseDibkPlans(plan, { sourceId: 'dibk' }), { baseline: true });
}

export async function startWebServer(opts: { publicPages?: boolean; template?: boolean } = {}): Promise<WebServer> {
  let db;
  let close: () => Promise<void>;
  if (opts.template !== false) {
    const t = await backends.find((b) => b.name === 'pglite')!.open('all');
    db = t.db;
    close = t.close;
  } else {
    const h = await openPglite({});
    await migrateDatabase(h);
    await prepareRuntime(h.db, MODELS);
    db = h.db;
    close = () => h.close();
  }
  const deps: ServiceDeps = { ...testDeps(db, MODELS), now: () => new Date(), knownCases: readFileSync(`${DATA_DIR}${KNOWN_CASES_FILE}`, 'utf8') };
  await addLots(deps);
  const rm = await ReadModel.load(deps);
  const web = createWebApp({ getReadModel: () => rm, defaultLang: 'nb', publicPages: opts.publicPages ?? false, secret: WEB_SECRET, logger: silentLogger });
  const app = createApp({ logger: silentLogger, ready: () => true, version: 'test', mounts: [{ path: '/', app: web }] });
  const listening = await listenLocal(app);
  const url = listening.url;
  return {
    url,
    deps,
    rm,
    link: async (user = {}, now = new Date()) => {
      const made = await createSignInLink(WEB_SECRET, { platform: 'slack', userId: 'U0TEST01', workspace: 'T0TOMTE01', label: 'Kari Nordmann', ...user }, now);
      return `${url}${made.path}`;
    },
    chatLink: async () => {
      const reply = await handleCommand(
        {
          rm,
          lang: 'nb',
          webAsker: { user: { platform: 'slack', userId: 'U0TEST01', workspace: 'T0TOMTE01', label: 'Kari Nordmann' }, privateAnswer: true },
          signInLink: async (user) => {
            const made = await createSignInLink(WEB_SECRET, user, new Date());
            return { url: `${url}${made.path}`, expiresAt: made.expiresAt };
          },
        },
        'web',
      );
      const found = reply.sections.map((s) => ('text' in s ? s.text : '')).find((t) => t.startsWith(url));
      if (!found) throw new Error(`no link in the web command's answer: ${reply.fallback}`);
      return found;
    },
    close: async () => {
      await listening.close();
      await close();
    },
  };
}
