/**
 * The chat commands end to end below the transport: text in, neutral Reply out, against the real
 * snapshot scored by seed-2026 on an embedded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS, handleCommand, routeCommand, type ChatContext } from '../../../src/chat/commands';
import type { Reply, Section } from '../../../src/chat/reply';
import type { Lang } from '../../../src/domain/localized';
import { seed2026 } from '../../../src/domain/scoring/models/seed-2026';
import type { Logger } from '../../../src/lib/logger';
import type { ReadModel } from '../../../src/services/read-model';
import { countObservations } from '../../../src/store/repos/observations';
import { listKommuner } from '../../../src/store/repos/kommuner';
import { backends, type TestDb } from '../../support/db';
import { prepareRuntime } from '../../support/runtime';

type Table = Extract<Section, { type: 'table' }>;
type AppendixB = {
  municipality_code: string;
  municipality_name: string;
  county: string;
  demographic_score: number;
  economic_score: number;
  political_score: number;
  property_score: number;
  total_score: number;
  max_possible_score: number;
  tier: 1 | 2 | 3 | null;
  tier_status: string;
  coverage: number;
  key_indicators: Record<string, { value: number | null; period: string | null; sources: string[] }>;
  rules: { rule: string; points: number | null; max_points: number }[];
  model: { id: string; version: string; score_run: number | null; scored_at: string | null };
};

const pglite = backends.find((b) => b.name === 'pglite')!;

let t: TestDb;
let rm: ReadModel;

beforeAll(async () => {
  t = await pglite.open('seed');
  rm = (await prepareRuntime(t.db)).readModel;
});
afterAll(async () => {
  await t?.close();
});

function ask(text: string, lang: Lang = 'nb', ctx?: Partial<ChatContext>): Promise<Reply> {
  return handleCommand({ rm, lang, ...ctx }, text);
}

function tables(r: Reply): Table[] {
  return r.sections.filter((s): s is Table => s.type === 'table');
}

function table(r: Reply, title?: string): Table {
  const found = tables(r).find((s) => title === undefined || s.title === title);
  if (!found) throw new Error(`no table ${title ?? ''} in reply "${r.title}"`);
  return found;
}

function texts(r: Reply): string[] {
  return r.sections.flatMap((s) => (s.type === 'text' || s.type === 'context' ? [s.text] : []));
}

function appendix(r: Reply): AppendixB {
  expect(r.data).toBeTypeOf('object');
  expect(Array.isArray(r.data)).toBe(false);
  return r.data as AppendixB;
}

function appendixList(r: Reply): AppendixB[] {
  expect(Array.isArray(r.data)).toBe(true);
  return r.data as AppendixB[];
}

const commands = (r: Reply) => r.actions.map((a) => a.command);

describe('kommune', () => {
  it('kommune Bodø: the card with Appendix B data whose categories add up to the total', async () => {
    const r = await ask('kommune Bodø');
    expect(r.kind).toBe('kommune');
    expect(r.lang).toBe('nb');
    expect(r.title).toBe('1804 Bodø');
    const d = appendix(r);
    const stored = rm.scores.get('1804')!;
    expect(d).toMatchObject({
      municipality_code: '1804',
      municipality_name: 'Bodø',
      county: 'Nordland',
      total_score: stored.total,
      max_possible_score: stored.maxPossible,
      tier: stored.tier,
      tier_status: stored.tierStatus,
      model: { id: 'seed-2026', version: seed2026.version, score_run: rm.run!.id, scored_at: '2026-01-15T06:00:00.000Z' },
    });
    for (const key of ['demographic_score', 'economic_score', 'political_score', 'property_score'] as const) {
      expect(d[key], key).toBeTypeOf('number');
      expect(d[key]).toBe(stored.categories.find((c) => `${c.id}_score` === key)!.points);
    }
    expect(d.demographic_score + d.economic_score + d.political_score + d.property_score).toBe(d.total_score);
    expect(d.coverage).toBeCloseTo(stored.coverage, 3);
    expect(d.coverage).toBeGreaterThan(0);
    expect(d.coverage).toBeLessThanOrEqual(1);
    expect(d.key_indicators.population).toMatchObject({ value: 53_638, period: '2026', sources: ['SSB 07459'] });
    expect(Object.keys(d.key_indicators).length).toBeGreaterThanOrEqual(5);
    expect(d.rules.map((x) => x.rule)).toEqual(seed2026.rules.map((x) => x.id));

    expect(r.score).toMatchObject({ total: stored.total, maxPossible: stored.maxPossible, tier: stored.tier, coverage: stored.coverage });
    expect(r.subtitle).toContain('Nordland');
    const categories = r.sections.find((s) => s.type === 'fields' && s.title === 'Kategorier');
    expect(categories?.type === 'fields' ? categories.fields.map((f) => f.label) : []).toEqual(['Demografi', 'Økonomi', 'Politikk', 'Boligmarked']);
    expect(texts(r).some((x) => x.includes('SSB 07459'))).toBe(true);
    expect(r.links?.[0]).toEqual({ label: 'SSB kommunefakta', url: 'https://www.ssb.no/kommunefakta/bodo' });
    expect(commands(r)).toContain('hvorfor 1804');
    expect(r.fallback).toContain('1804 Bodø');
  });

  it('kommune guovdageaidnu finds Kautokeino by its Sami name', async () => {
    const r = await ask('kommune guovdageaidnu');
    expect(r.kind).toBe('kommune');
    expect(r.title.startsWith('5612 ')).toBe(true);
    expect(appendix(r).municipality_code).toBe('5612');
  });

  it('kommune 1001 answers with 4204 Kristiansand and says the number changed', async () => {
    const r = await ask('kommune 1001');
    expect(r.kind).toBe('kommune');
    expect(r.title).toBe('4204 Kristiansand');
    expect(appendix(r).municipality_code).toBe('4204');
    const note = r.sections.find((s) => s.type === 'context' && s.text.includes('1001'));
    expect(note).toBeDefined();
    expect(note).toMatchObject({ text: expect.stringContaining('4204') });
  });

  it('kommune trondhiem suggests Trondheim', async () => {
    const r = await ask('kommune trondhiem');
    expect(r.kind).toBe('choice');
    expect(r.title).toContain('trondhiem');
    expect(commands(r)).toContain('kommune 5001');
    expect(r.fallback).toContain('Trondheim');
  });

  it('kommune Herøy asks which of the two Herøy', async () => {
    const r = await ask('kommune Herøy');
    expect(r.kind).toBe('choice');
    expect(commands(r).sort()).toEqual(['kommune 1515', 'kommune 1818']);
  });

  it('choice labels name each county once ("Herøy (Nordland)", not "Herøy (Nordland) (Nordland)")', async () => {
    const r = await ask('kommune Herøy');
    const shown = [...r.actions.map((a) => a.label), ...r.sections.flatMap((s) => (s.type === 'list' ? s.items : []))];
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) expect(text).not.toMatch(/\(([^()]+)\) \(\1\)/);
  });

  it('kommune 1507 (Ålesund before the 2024 split) asks 1508 or 1580', async () => {
    const r = await ask('kommune 1507');
    expect(r.kind).toBe('choice');
    expect(commands(r).sort()).toEqual(['kommune 1508', 'kommune 1580']);
  });

  it('kommune xyzzy is an error with a hint', async () => {
    const r = await ask('kommune xyzzy');
    expect(r.kind).toBe('error');
    expect(r.title).toContain('xyzzy');
    expect(r.data).toBeUndefined();
    expect(r.sections.length).toBeGreaterThan(0);
  });

  it('the user language applies when a Norwegian keyword is used', async () => {
    const r = await ask('kommune Bodø', 'en');
    expect(r.lang).toBe('en');
    expect(r.score?.coverageText).toMatch(/^Data coverage /);
  });
});

describe('rankings', () => {
  it('topp 10 fylke Nordland: the ten best Nordland kommuner, best first', async () => {
    const r = await ask('topp 10 fylke Nordland');
    expect(r.kind).toBe('ranking');
    const items = appendixList(r);
    expect(items).toHaveLength(10);
    for (const i of items) {
      expect(i.county).toBe('Nordland');
      expect(i.municipality_code.startsWith('18')).toBe(true);
    }
    const totals = items.map((i) => i.total_score);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    // They really are the top ten: no Nordland kommune left out scores more than the tenth.
    const allNordland = [...rm.scores.values()].filter((s) => s.kommuneCode.startsWith('18')).map((s) => s.total);
    expect(totals).toEqual(allNordland.sort((a, b) => b - a).slice(0, 10));
    const rows = table(r).rows;
    expect(rows.map((row) => row[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    // Within one county the rows leave the county out (the title names it).
    expect(r.title).toContain('Nordland');
    expect(rows.every((row) => /^18\d\d [^(]+(\(Nordland\))?$/.test(row[1]!))).toBe(true);
  });

  it('topp 357 lists every kommune once', async () => {
    const r = await ask('topp 357');
    const items = appendixList(r);
    expect(items).toHaveLength(357);
    expect(new Set(items.map((i) => i.municipality_code)).size).toBe(357);
    expect(table(r).rows).toHaveLength(357);
  });

  it('tier 3 lists exactly the kommuner in tier 3', async () => {
    const r = await ask('tier 3');
    expect(r.kind).toBe('ranking');
    const items = appendixList(r);
    const expected = [...rm.scores.values()].filter((s) => s.tier === 3).length;
    expect(expected).toBeGreaterThan(0);
    expect(items).toHaveLength(expected);
    for (const i of items) expect(i.tier).toBe(3);
    for (const row of table(r).rows) expect(row[3]).toBe('3');
    expect(r.title).toContain(String(expected));
  });

  it('tier 4 is an error', async () => {
    const r = await ask('tier 4');
    expect(r.kind).toBe('error');
    expect(r.title).toContain('4');
    expect(commands(r)).toContain('hjelp');
  });

  it('an unknown county is an error listing the counties', async () => {
    const r = await ask('topp 5 fylke Atlantis');
    expect(r.kind).toBe('error');
    expect(r.sections.some((s) => s.type === 'list' && s.items.includes('Nordland'))).toBe(true);
  });
});

describe('hvorfor', () => {
  it('hvorfor Oslo: one row per seed-2026 rule with points or – and a reason', async () => {
    const r = await ask('hvorfor Oslo');
    expect(r.kind).toBe('explanation');
    expect(r.title).toBe('0301 Oslo');
    const rules = table(r, 'Regel for regel');
    expect(seed2026.rules).toHaveLength(8);
    expect(rules.rows.map((row) => row[0])).toEqual(seed2026.rules.map((x) => x.label.nb));
    const stored = rm.scores.get('0301')!;
    rules.rows.forEach((row, i) => {
      const s = stored.rules[i]!;
      expect(row[1]).toBe(s.points === null ? `–/${s.maxPoints}` : `${s.points}/${s.maxPoints}`);
      expect(row[1]).toMatch(/^(\d+(,\d+)?|–)\/\d+$/);
      expect(row[2]?.trim().length ?? 0, `reason for ${row[0]}`).toBeGreaterThan(10);
    });
    expect(appendix(r).municipality_code).toBe('0301');
  });

  it('why Oslo answers in English', async () => {
    const r = await ask('why Oslo');
    expect(r.lang).toBe('en');
    expect(r.kind).toBe('explanation');
    const rules = table(r, 'Rule by rule');
    expect(rules.rows.map((row) => row[0])).toEqual(seed2026.rules.map((x) => x.label.en));
    for (const row of rules.rows) expect(row[2]?.length ?? 0).toBeGreaterThan(10);
  });
});

describe('sammenlign', () => {
  it('sammenlign Bodø, Tromsø: two columns', async () => {
    const r = await ask('sammenlign Bodø, Tromsø');
    expect(r.kind).toBe('comparison');
    expect(table(r).columns.slice(1).map((c) => c.label)).toEqual(['Bodø', 'Tromsø']);
    expect(appendixList(r).map((d) => d.municipality_code)).toEqual(['1804', '5501']);
    const totalRow = table(r).rows[0]!;
    expect(totalRow.slice(1)).toEqual([String(rm.scores.get('1804')!.total), String(rm.scores.get('5501')!.total)]);
  });

  it('sammenlign bodo tromso alta (no commas, no æøå): three columns', async () => {
    const r = await ask('sammenlign bodo tromso alta');
    expect(r.kind).toBe('comparison');
    expect(table(r).columns.slice(1).map((c) => c.label)).toEqual(['Bodø', 'Tromsø', 'Alta']);
    expect(appendixList(r).map((d) => d.municipality_code)).toEqual(['1804', '5501', '5601']);
  });

  it('sammenlign Bodø alone is an error', async () => {
    const r = await ask('sammenlign Bodø');
    expect(r.kind).toBe('error');
    expect(r.data).toBeUndefined();
  });
});

describe('kilder, status and hjelp', () => {
  it('kilder lists SSB 07459 and the licences', async () => {
    const r = await ask('kilder');
    expect(r.kind).toBe('sources');
    expect(table(r).rows.map((row) => row[0])).toContain('SSB 07459');
    const ssb = table(r).rows.find((row) => row[0] === 'SSB 07459')!;
    expect(ssb[3]).toBe('357');
    const licences = r.sections.find((s) => s.type === 'list' && s.title === 'Lisenser og kreditering');
    expect(licences).toBeDefined();
    const items = licences?.type === 'list' ? licences.items : [];
    expect(items.some((i) => i.includes('Statistisk sentralbyrå') && i.includes('CC BY 4.0'))).toBe(true);
  });

  it('status shows when the data was scored', async () => {
    const r = await ask('status');
    expect(r.title).toBe('Status');
    expect(texts(r).join(' ')).toContain('2026-01-15 06:00');
  });

  it('status shows per dataset the coverage in the latest period and the source table; both point to docs/sources.md', async () => {
    const r = await ask('status');
    const datasets = r.sections.find((s) => s.type === 'table' && s.title === 'Datasett: dekning, periode og kildetabell');
    const rows = datasets?.type === 'table' ? datasets.rows : [];
    // Before any refresh: the bundled snapshot's coverage.
    expect(rows.find((row) => row[0] === 'SSB 07459')).toEqual(['SSB 07459', '2026', '357/357', 'datapakken', '–']);
    expect(rows.find((row) => row[0] === 'SSB 06035')).toEqual(['SSB 06035', '2024', '265/357', 'datapakken', '–']);
    expect(rows.find((row) => row[0] === 'SSB 13563')?.slice(1, 3)).toEqual(['2024', '80/357']);
    expect(rows.find((row) => row[0] === 'KDD: ROBEK')?.slice(1, 3)).toEqual(['2026-04-20', '357/357']);
    for (const cmd of ['status', 'kilder']) expect(texts(await ask(cmd)).join(' ')).toContain('docs/sources.md');
  });

  it('hjelp lists the commands', async () => {
    const r = await ask('hjelp');
    expect(r.kind).toBe('help');
    const firstColumn = table(r).rows.map((row) => row[0] ?? '');
    for (const cmd of ['kommune', 'hvorfor', 'topp', 'tier', 'sammenlign', 'kilder', 'hjelp']) {
      expect(firstColumn.some((c) => c.startsWith(cmd)), cmd).toBe(true);
    }
  });

  it('hjelp shows every help row of the command table, its syntax whole', async () => {
    const rows = (await ask('hjelp')).sections.flatMap((s) => (s.type === 'table' ? s.rows : []));
    const expected = COMMANDS.flatMap((c) => c.help.map((h) => [...h.nb]));
    expect(rows).toHaveLength(expected.length);
    for (const row of expected) expect(rows).toContainEqual(row);
    expect(rows.map((r) => r[0])).toContain('abonner tier1 [fylke <navn>, …] [unntatt <kommune>, …]');
  });
});

describe('mistyped command words', () => {
  it('«abonnér tier1» (an accent) is the subscription command, not a kommune lookup', () => {
    expect(routeCommand('abonnér tier1')).toMatchObject({ entry: { id: 'abonner' }, cmd: { name: 'subscribe-tier1' } });
  });

  it('«abonerr tier1» is no kommune: the answer asks back with the corrected command as the first button', async () => {
    const r = await ask('abonerr tier1');
    expect(r.kind).toBe('choice');
    expect(r.title).toBe('Mente du «abonner tier1»?');
    expect(r.actions[0]).toMatchObject({ kind: 'command', command: 'abonner tier1' });
    expect(r.subtitle).toBe('Fant ingen kommune som heter «abonerr tier1».');
  });

  it('a kommune whose name is near a command word is still the kommune (Time, Tana, Hole)', async () => {
    for (const name of ['Time', 'Tana', 'Hole', 'Moss']) {
      const r = await ask(name);
      expect(r.kind, name).toBe('kommune');
    }
    expect((await ask('Stille')).kind).not.toBe('kommune');
  });
});

describe('English', () => {
  it('municipality Bodø answers in English', async () => {
    const r = await ask('municipality Bodø');
    expect(r.lang).toBe('en');
    expect(r.kind).toBe('kommune');
    expect(r.title).toBe('1804 Bodø');
    const fields = r.sections.find((s) => s.type === 'fields' && s.title === 'Categories');
    expect(fields?.type === 'fields' ? fields.fields.map((f) => f.label) : []).toEqual(['Demographic', 'Economic', 'Political', 'Property market']);
    expect(r.score?.trend).toMatch(/^Trend: /);
    expect(JSON.stringify(r.sections)).not.toContain('Totalt');
  });
});

describe('garbage in, a reply out', () => {
  const garbage: [string, string][] = [
    ['empty string', ''],
    ['only spaces', '   \t  '],
    ['600 a', 'a'.repeat(600)],
    ['control characters', '\u0000\u0001\u0002\u001b[31m\u007f\u0085'],
    ['SQL injection', "'; DROP TABLE kommuner;--"],
    ['SQL injection as a kommune', "kommune '; DROP TABLE kommuner;--"],
    ['emoji', '🏠🔥🇳🇴'],
    ['many emoji', '🏠'.repeat(400)],
    ['lone surrogate', 'kommune \ud800'],
    ['bidi overrides', 'kommune \u202eøddoB\u202c'],
    ['a slash alone', '/'],
    ['keyword without argument', 'kommune'],
    ['why without argument', 'hvorfor'],
    ['topp with a negative number', 'topp -5'],
    ['topp with a huge number', 'topp 99999999999999999999'],
    ['tier without a number', 'tier'],
    ['compare only separators', 'sammenlign , , ;'],
    ['compare too many', `sammenlign ${Array(12).fill('Bodø').join(', ')}`],
    ['compare an unknown kommune', 'sammenlign Bodø, xyzzy'],
    ['percent signs', '%s %d %n {{title}} ${process.env}'],
    ['html', '<script>alert(1)</script>'],
  ];

  it.each(garbage)('%s: never throws and gives a reply with a title and fallback', async (_name, input) => {
    for (const lang of ['nb', 'en'] as const) {
      const r = await ask(input, lang);
      expect(typeof r.title).toBe('string');
      expect(r.title.trim().length).toBeGreaterThan(0);
      expect(r.fallback.trim().length).toBeGreaterThan(0);
      expect(['nb', 'en']).toContain(r.lang);
      expect(Array.isArray(r.sections)).toBe(true);
      expect(Array.isArray(r.actions)).toBe(true);
      // Control characters never reach the reply.
      // eslint-disable-next-line no-control-regex -- asserting their absence
      expect(r.title + r.fallback).not.toMatch(/[\u0000-\u001f\u007f]/);
    }
  });

  it('the store is intact after the garbage', async () => {
    expect(await listKommuner(t.db)).toHaveLength(357);
    expect(await countObservations(t.db)).toBe(23_206);
    expect((await ask('kommune Bodø')).title).toBe('1804 Bodø');
  });

  it('a failing store becomes an apology reply and an error log, not an exception', async () => {
    const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (msg, fields) => logged.push({ msg, fields }),
    };
    // The same read model, but its history query (run for every card) fails like a lost connection.
    const broken = Object.create(rm, {
      deps: { value: { ...rm.deps, logger } },
      history: { value: () => Promise.reject(new Error('connection terminated')) },
    }) as ReadModel;
    const r = await handleCommand({ rm: broken, lang: 'nb' }, 'kommune Bodø');
    expect(r.kind).toBe('error');
    expect(r.title).toContain('noe gikk galt');
    expect(r.title).not.toContain('connection terminated');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.msg).toBe('command failed');
    expect(logged[0]!.fields).toMatchObject({ command: 'kommune' });
  });
});
