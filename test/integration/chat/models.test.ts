/**
 * Both models through the chat handlers (issue 14): the default model answers unless one is
 * named; the card names the other model's tier in one line; `hvorfor` explains pillars and
 * indicators; `modeller` lists the models with their validation figures; subscriptions keep the
 * model they name.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotTexts } from '../../../adapters/node/bootstrap';
import { handleCommand } from '../../../src/chat/commands';
import type { Reply, Section } from '../../../src/chat/reply';
import type { Lang } from '../../../src/domain/localized';
import { MODELS } from '../../../src/domain/scoring/models';
import { loadSnapshot } from '../../../src/services/load-snapshot';
import { ReadModel } from '../../../src/services/read-model';
import { rescore } from '../../../src/services/rescore';
import { listSubscriptions } from '../../../src/store/repos/alerts';
import { backends, type TestDb } from '../../support/db';
import { testDeps } from '../../support/runtime';

const pglite = backends.find((b) => b.name === 'pglite')!;
let t: TestDb;
let rm: ReadModel;

beforeAll(async () => {
  t = await pglite.open();
  const deps = { ...testDeps(t.db, MODELS), knownCases: readFileSync(new URL('../../../data/fasit/kjente-tilfeller.csv', import.meta.url), 'utf8') };
  await loadSnapshot(deps, readSnapshotTexts());
  await rescore(deps, 'test');
  rm = await ReadModel.load(deps);
});
afterAll(async () => {
  await t?.close();
});

const ask = (text: string, lang: Lang = 'nb') => handleCommand({ rm, lang, place: { platform: 'slack', target: 'C-MODELS', targetName: 'modeller', user: 'U1' } }, text);
const text = (r: Reply) => [r.title, r.subtitle ?? '', ...r.sections.map((s: Section) => JSON.stringify(s))].join('\n');

describe('chat with two models', () => {
  it('the card answers in the default model and names the other one in one line', async () => {
    const r = await ask('kommune Bodø');
    expect(r.fallback).toContain('79,7/100 · Tier 1');
    const pillars = r.sections.find((s) => s.type === 'fields' && s.title === 'Søyler');
    expect(pillars).toMatchObject({
      fields: [
        { label: 'Etterspørsel og behov', value: '29,7/40 · 100 % med data' },
        { label: 'Vilje og kapasitet', value: '21,1/30 · 100 % med data' },
        { label: 'Gjennomførbarhet', value: '28,9/30 · 100 % med data' },
      ],
    });
    const other = r.sections.filter((s) => s.type === 'context').map((s) => (s as { text: string }).text).find((x) => x.startsWith('Startmodell 2026'));
    expect(other).toBe('Startmodell 2026: 20/100 · Tier 3 («kommune 1804 modell seed-2026»)');
    expect(text(r)).toContain('5 indikatorer rangeres ikke ennå');
  });

  it('"modell seed-2026" answers by the report\'s model, and its buttons stay on it', async () => {
    const r = await ask('kommune Bodø modell seed-2026');
    expect(r.fallback).toContain('20/100 · Tier 3');
    expect(r.actions.map((a) => a.command)).toEqual(['hvorfor 1804 modell seed-2026', 'kommune 1804 modell seed-2026']);
    expect(text(r)).toContain('Praksismodell 2026: 79,7/100 · Tier 1 («kommune 1804»)');
    expect((await ask('kommune Bodø modell seed')).fallback).toContain('20/100');
  });

  it('hvorfor explains each pillar and indicator: value, percentile, direction, points, source', async () => {
    const r = await ask('hvorfor Bodø');
    const demand = r.sections.find((s) => s.type === 'table' && s.title?.startsWith('Etterspørsel og behov')) as Extract<Section, { type: 'table' }>;
    expect(demand.title).toBe('Etterspørsel og behov: 29,7 av 40');
    const growth = demand.rows.find((row) => row[0] === 'Befolkningsvekst siste 5 år')!;
    expect(growth[1]).toBe('4,4/10');
    expect(growth[2]).toContain('persentil 44 av 355 kommuner (høyere er bedre)');
    const capacity = r.sections.find((s) => s.type === 'table' && s.title?.startsWith('Vilje og kapasitet')) as Extract<Section, { type: 'table' }>;
    expect(capacity.rows.find((row) => row[0]!.startsWith('Kommunalt disponerte'))![1]).toBe('ikke med');
    expect(text(r)).toContain('Oppført i ROBEK: ok');
    expect(text(r)).toContain('SSB: KLASS 128 2024');
  });

  it('a ROBEK kommune is told why it is not in Tier 1', async () => {
    const r = await ask('hvorfor 5612');
    expect(text(r)).toMatch(/Oppført i ROBEK: gjelder – Kommuner i ROBEK/);
  });

  it('topp and tier take a model; an unknown model is a clear answer listing the models', async () => {
    const top = await ask('topp 3 modell seed-2026');
    expect(text(top)).toContain('Modell seed-2026');
    const tier1 = await ask('tier 1');
    expect(tier1.title).toBe('Tier 1: 32 kommuner');
    const bad = await ask('topp 3 modell magi');
    expect(bad).toMatchObject({ kind: 'error', title: 'Kjenner ingen modell «magi». Modellene er praksis-2026 og seed-2026; «modeller» forteller om dem.' });
  });

  it('modeller lists both models, the default marked, with their validation against the known cases', async () => {
    const r = await ask('modeller');
    expect(r.title).toBe('Modellene');
    const t = text(r);
    expect(t).toContain('Praksismodell 2026 (praksis-2026 v1.0.0) · standard');
    expect(t).toContain('Startmodell 2026 (seed-2026 v1.0.0)');
    const table = r.sections.find((s) => s.type === 'table' && s.title === 'Treffsikkerhet mot kjente tilfeller') as Extract<Section, { type: 'table' }>;
    expect(table.rows.map((row) => row[0])).toEqual(['Praksismodell 2026 (praksis-2026)', 'Startmodell 2026 (seed-2026)', 'Grunnlinje: sortert etter folketall', 'Grunnlinje: tilfeldig rekkefølge (forventning)']);
    expect(table.rows[1]).toEqual(['Startmodell 2026 (seed-2026)', '0,40', '0', '0', '0,40']);
    expect(table.rows[3]).toEqual(['Grunnlinje: tilfeldig rekkefølge (forventning)', '0,50', '0,7', '1,4', '0,50']);
  });

  it('a subscription keeps the model it names, and says so', async () => {
    const r = await ask('abonner tier1 fylke Nordland modell seed');
    expect(text(r)).toContain('Varsler når en kommune i Nordland går inn i eller ut av Tier 1 (modell seed-2026).');
    const plain = await ask('abonner tier1 fylke Nordland');
    expect(plain.title).toMatch(/^Abonnement #\d+ er opprettet$/);
    const subs = await listSubscriptions(t.db, 'slack', 'C-MODELS');
    expect(subs.map((s) => s.filter.model ?? null).sort()).toEqual([null, 'seed-2026'].sort());
    expect((await ask('abonner tier1 modell magi')).title).toContain('Kjenner ingen modell «magi»');
  });
});
