import { describe, expect, it } from 'vitest';
import {
  parseArea,
  parseClock,
  parseWeekday,
  splitList,
  type SubscriptionCommand,
  type SubscriptionProblem,
} from '../../../src/chat/subscriptions/grammar';
import { describeSubscription, invalidSubscriptionText, type DescribableSubscription } from '../../../src/chat/subscriptions/describe';
import { helpRows, parseCommand, parseSubscriptionCommand as parse } from '../../../src/chat/commands';
import type { DigestSchedule } from '../../../src/domain/alerts/types';

const OSLO_MONDAY: DigestSchedule = { weekday: 1, time: '08:00', timeZone: 'Europe/Oslo' };

describe('parseSubscriptionCommand: every command form, bokmål and English', () => {
  it.each<[string, SubscriptionCommand]>([
    ['abonner tier1', { name: 'subscribe-tier1', lang: null, fylker: [], unntatt: [], model: null }],
    ['subscribe tier1', { name: 'subscribe-tier1', lang: 'en', fylker: [], unntatt: [], model: null }],
    ['abonner tier 1 fylke Nordland, Troms unntatt Bodø og Tromsø', { name: 'subscribe-tier1', lang: null, fylker: ['Nordland', 'Troms'], unntatt: ['Bodø', 'Tromsø'], model: null }],
    ['subscribe tier1 county Nordland and Troms except Bodø, Narvik', { name: 'subscribe-tier1', lang: 'en', fylker: ['Nordland', 'Troms'], unntatt: ['Bodø', 'Narvik'], model: null }],
    ['abonner på tier1 i Møre og Romsdal', { name: 'subscribe-tier1', lang: null, fylker: ['Møre og Romsdal'], unntatt: [], model: null }],
    ['abonner tier1 Nordland', { name: 'subscribe-tier1', lang: null, fylker: ['Nordland'], unntatt: [], model: null }],
    ['abonner tier1 unntatt Herøy (Møre og Romsdal), Nore og Uvdal', { name: 'subscribe-tier1', lang: null, fylker: [], unntatt: ['Herøy (Møre og Romsdal)', 'Nore og Uvdal'], model: null }],
    ['abonner kommune Bodø', { name: 'subscribe-kommune', lang: null, kommune: 'Bodø', model: null }],
    ['abonner kommune 1804', { name: 'subscribe-kommune', lang: null, kommune: '1804', model: null }],
    ['subscribe municipality Nord-Odal', { name: 'subscribe-kommune', lang: 'en', kommune: 'Nord-Odal', model: null }],
    ['abonner digest', { name: 'subscribe-digest', lang: null, schedule: OSLO_MONDAY, model: null }],
    ['subscribe digest', { name: 'subscribe-digest', lang: 'en', schedule: OSLO_MONDAY, model: null }],
    ['abonner digest fredag 15:00', { name: 'subscribe-digest', lang: null, schedule: { weekday: 5, time: '15:00', timeZone: 'Europe/Oslo' }, model: null }],
    ['abonner digest søndag kl. 8.30 tidssone europe/london', { name: 'subscribe-digest', lang: null, schedule: { weekday: 7, time: '08:30', timeZone: 'Europe/London' }, model: null }],
    ['subscribe digest fri 17 timezone America/New_York', { name: 'subscribe-digest', lang: 'en', schedule: { weekday: 5, time: '17:00', timeZone: 'America/New_York' }, model: null }],
    ['abonner digest 9', { name: 'subscribe-digest', lang: null, schedule: { weekday: 1, time: '09:00', timeZone: 'Europe/Oslo' }, model: null }],
    ['abonner tomter', { name: 'subscribe-tomter', lang: null, fylker: [], kommuner: [], unntatt: [], minArealM2: null, tiers: [], model: null }],
    ['abonner tomter fylke Nordland kommune Alta min 2 mål', { name: 'subscribe-tomter', lang: null, fylker: ['Nordland'], kommuner: ['Alta'], unntatt: [], minArealM2: 2000, tiers: [], model: null }],
    ['subscribe lots in Nordland min 2 000 m2', { name: 'subscribe-tomter', lang: 'en', fylker: ['Nordland'], kommuner: [], unntatt: [], minArealM2: 2000, tiers: [], model: null }],
    ['abonner tomter kommune Bodø kommune og Tromsø min 1,5 daa', { name: 'subscribe-tomter', lang: null, fylker: [], kommuner: ['Bodø kommune', 'Tromsø'], unntatt: [], minArealM2: 1500, tiers: [], model: null }],
    ['stille 22:00-07:00', { name: 'quiet', lang: null, quiet: { start: '22:00', end: '07:00' } }],
    ['stille fra 22 til 7', { name: 'quiet', lang: null, quiet: { start: '22:00', end: '07:00' } }],
    ['quiet 23.30 – 06.45', { name: 'quiet', lang: 'en', quiet: { start: '23:30', end: '06:45' } }],
    ['stille av', { name: 'quiet', lang: null, quiet: null }],
    ['quiet off', { name: 'quiet', lang: 'en', quiet: null }],
    ['avslutt 2', { name: 'unsubscribe', lang: null, target: { by: 'number', numbers: [2] } }],
    ['avslutt #1, 3 og 4', { name: 'unsubscribe', lang: null, target: { by: 'number', numbers: [1, 3, 4] } }],
    ['avslutt tier1', { name: 'unsubscribe', lang: null, target: { by: 'kind', kind: 'tier1', kommune: null } }],
    ['avslutt kommune Bodø', { name: 'unsubscribe', lang: null, target: { by: 'kind', kind: 'kommune', kommune: 'Bodø' } }],
    ['avslutt kommune', { name: 'unsubscribe', lang: null, target: { by: 'kind', kind: 'kommune', kommune: null } }],
    ['avslutt alle', { name: 'unsubscribe', lang: null, target: { by: 'all' } }],
    ['unsubscribe all', { name: 'unsubscribe', lang: 'en', target: { by: 'all' } }],
    ['unsubscribe from digest', { name: 'unsubscribe', lang: 'en', target: { by: 'kind', kind: 'digest', kommune: null } }],
    ['unsubscribe municipality Bodø', { name: 'unsubscribe', lang: 'en', target: { by: 'kind', kind: 'kommune', kommune: 'Bodø' } }],
    ['abonnementer', { name: 'list-subscriptions', lang: null }],
    ['subscriptions', { name: 'list-subscriptions', lang: 'en' }],
    ['demp Bodø', { name: 'mute', lang: null, kommune: 'Bodø', days: 30 }],
    ['demp Mo i Rana i 7 dager', { name: 'mute', lang: null, kommune: 'Mo i Rana', days: 7 }],
    ['demp 1804', { name: 'mute', lang: null, kommune: '1804', days: 30 }],
    ['mute Bodø for 365 days', { name: 'mute', lang: 'en', kommune: 'Bodø', days: 365 }],
    ['opphev demping Bodø', { name: 'unmute', lang: null, kommune: 'Bodø' }],
    ['unmute Bodø', { name: 'unmute', lang: 'en', kommune: 'Bodø' }],
    ['test', { name: 'test-alert', lang: null }],
    ['test alert', { name: 'test-alert', lang: 'en' }],
    ['/ABONNER  TIER1', { name: 'subscribe-tier1', lang: null, fylker: [], unntatt: [], model: null }],
  ])('%s', (input, expected) => {
    expect(parse(input)).toEqual(expected);
  });
});

describe('days and times', () => {
  it.each<[string, number]>([
    ['mandag', 1], ['man', 1], ['Monday', 1], ['mon', 1], ['tirsdag', 2], ['tue', 2], ['onsdag', 3], ['wed', 3],
    ['torsdag', 4], ['thu', 4], ['fre', 5], ['friday', 5],
    ['lørdag', 6], ['lordag', 6], ['lør', 6], ['sat', 6],
    ['søndag', 7], ['sondag', 7], ['søn', 7], ['SUNDAY', 7], ['mandager', 1], ['Mondays', 1],
  ])('%s is weekday %i', (word, n) => {
    expect(parseWeekday(word)).toBe(n);
  });

  it('digest days work with and without diacritics', () => {
    expect(parse('abonner digest lørdag 10')).toMatchObject({ schedule: { weekday: 6, time: '10:00' } });
    expect(parse('abonner digest lordag 10')).toMatchObject({ schedule: { weekday: 6, time: '10:00' } });
    expect(parse('abonner digest sondag')).toMatchObject({ schedule: { weekday: 7, time: '08:00', timeZone: 'Europe/Oslo' } });
  });

  it('parseClock', () => {
    expect(['8', '08', '08:00', '8.00', '0800', 'kl.8'].map(parseClock)).toEqual(Array(6).fill('08:00'));
    expect(parseClock('8.30')).toBe('08:30');
    expect(parseClock('23:59')).toBe('23:59');
    expect(['24:00', '8:60', '8:5', 'x', '', '-1'].map(parseClock)).toEqual(Array(6).fill(null));
  });

  it('areas: 1 mål = 1 daa = 1000 m²', () => {
    expect(['2000 m2', '2000m²', '2 000 kvm', '2 mål', '2 maal', '2 daa', '2000'].map(parseArea)).toEqual(Array(7).fill(2000));
    expect(parseArea('0,5 mål')).toBe(500);
    expect(['', 'x', '0 m2', '2 hektar', '-5 m2', '99999999999 m2'].map(parseArea)).toEqual(Array(6).fill(null));
  });

  it('splitList keeps names with "og" and parentheses', () => {
    expect(splitList('Evje og Hornnes og Bodø')).toEqual(['Evje og Hornnes', 'Bodø']);
    expect(splitList('Herøy (Møre og Romsdal); More og Romsdal & Agder')).toEqual(['Herøy (Møre og Romsdal)', 'More og Romsdal', 'Agder']);
    expect(splitList(' , og ')).toEqual([]);
  });
});

describe('invalid subscription commands give a typed reason', () => {
  it.each<[string, SubscriptionProblem]>([
    ['abonner', { k: 'missing-what', command: 'subscribe' }],
    ['abonner på', { k: 'missing-what', command: 'subscribe' }],
    ['unsubscribe', { k: 'missing-what', command: 'unsubscribe' }],
    ['abonner Bodø', { k: 'unknown-what', command: 'subscribe', value: 'Bodø' }],
    ['abonner tier 2', { k: 'unknown-what', command: 'subscribe', value: 'tier 2' }],
    ['avslutt noe', { k: 'unknown-what', command: 'unsubscribe', value: 'noe' }],
    ['abonner kommune', { k: 'missing-kommune', context: 'kommune' }],
    ['demp', { k: 'missing-kommune', context: 'mute' }],
    ['demp 30 dager', { k: 'missing-kommune', context: 'mute' }],
    ['opphev demping', { k: 'missing-kommune', context: 'unmute' }],
    ['abonner tier1 fylke', { k: 'missing-value', option: 'fylke', context: 'tier1' }],
    ['abonner tier1 fylke Nordland unntatt', { k: 'missing-value', option: 'unntatt', context: 'tier1' }],
    ['abonner digest fredag 15:00 takk', { k: 'bad-day', value: 'takk' }],
    ['abonner digest fredagg', { k: 'bad-day', value: 'fredagg' }],
    ['abonner digest mandag tirsdag', { k: 'bad-day', value: 'tirsdag' }],
    ['abonner digest 8 9', { k: 'unknown-option', context: 'digest', value: '9' }],
    ['avslutt digest nå', { k: 'unknown-option', context: 'unsubscribe', value: 'nå' }],
    ['abonner digest mandag 25:00', { k: 'bad-time', value: '25:00' }],
    ['subscribe digest monday 8:75', { k: 'bad-time', value: '8:75' }],
    ['abonner digest tidssone Europe/Olso', { k: 'bad-timezone', value: 'Europe/Olso' }],
    ['abonner digest tidssone', { k: 'bad-timezone', value: '' }],
    ['abonner tomter min 2 hektar', { k: 'bad-area', value: '2 hektar' }],
    ['abonner tomter min', { k: 'bad-area', value: '' }],
    ['demp Bodø 400 dager', { k: 'bad-days', value: '400', max: 365 }],
    ['demp Bodø 0 dager', { k: 'bad-days', value: '0', max: 365 }],
    ['mute Bodø x days', { k: 'bad-days', value: 'x', max: 365 }],
    ['stille', { k: 'bad-quiet', value: '' }],
    ['stille om natta', { k: 'bad-quiet', value: 'om natta' }],
    ['stille 22-22', { k: 'bad-quiet', value: '22-22' }],
    ['stille 22:00-31:00', { k: 'bad-time', value: '31:00' }],
    ['avslutt 0', { k: 'bad-number', value: '0' }],
    ['avslutt 2 og tre', { k: 'bad-number', value: 'tre' }],
  ])('%s', (input, problem) => {
    const cmd = parse(input);
    expect(cmd).toMatchObject({ name: 'invalid-subscription', problem });
    expect(cmd && 'problem' in cmd && cmd.problem).toEqual(problem);
  });

  it('an English keyword answers in English, also when invalid', () => {
    expect(parse('subscribe')).toMatchObject({ lang: 'en', input: 'subscribe' });
    expect(parse('abonner')).toMatchObject({ lang: null });
  });
});

describe('inputs that are not subscription commands fall through', () => {
  it.each(['kommune Bodø', 'topp 10', 'tier 1', 'Bodø', 'hjelp', 'test Bodø', 'abonnement Bodø', '', '   '])('%s', (input) => {
    expect(parse(input)).toBeNull();
  });

  it('the main grammar still sees them', () => {
    expect(parseCommand('topp 10')).toMatchObject({ name: 'topp', limit: 10 });
  });

  it('very long or odd Unicode input never throws', () => {
    const odd = [
      'abonner ' + 'ø'.repeat(100_000),
      'abonner tier1 fylke ' + 'Nordland, '.repeat(5_000),
      'abonner digest ' + '\u0000\u200b\u202e🦄'.repeat(1_000),
      'stille 😀-😀',
      'demp \ud800\udc00 9'.repeat(50),
      'avslutt ' + '#'.repeat(600),
      'abonner tomter min ' + '9'.repeat(1_000) + ' m2',
      'abonner digest tidssone ' + 'Ä/'.repeat(300),
      '\u0301abonner\u0301 tier1',
    ];
    for (const s of odd) expect(() => parse(s)).not.toThrow();
  });
});

describe('describeSubscription', () => {
  const names = {
    kommune: (nr: string) => ({ '1804': 'Bodø', '5501': 'Tromsø', '1806': 'Narvik' })[nr] ?? nr,
    fylke: (nr: string) => ({ '18': 'Nordland', '55': 'Troms', '56': 'Finnmark' })[nr] ?? nr,
  };
  const cases: [DescribableSubscription, string, string][] = [
    [
      { kind: 'tier1', filter: { fylker: ['18', '55'], unntatt: ['1804'] } },
      'Varsler når en kommune i Nordland eller Troms går inn i eller ut av Tier 1, unntatt Bodø.',
      'Alerts when a kommune in Nordland or Troms enters or leaves Tier 1, except Bodø.',
    ],
    [
      { kind: 'tier1', filter: {}, quiet: { start: '22:00', end: '07:00' } },
      'Varsler når en kommune går inn i eller ut av Tier 1. Stille 22:00–07:00: varsler i den tiden kommer samlet når det er over.',
      'Alerts when a kommune enters or leaves Tier 1. Quiet 22:00–07:00: alerts in that window arrive together when it ends.',
    ],
    [
      { kind: 'tier1', filter: { fylker: ['18', '55', '56'], unntatt: ['1804', '5501', '1806'] } },
      'Varsler når en kommune i Nordland, Troms eller Finnmark går inn i eller ut av Tier 1, unntatt Bodø, Tromsø og Narvik.',
      'Alerts when a kommune in Nordland, Troms or Finnmark enters or leaves Tier 1, except Bodø, Tromsø and Narvik.',
    ],
    [
      { kind: 'digest', filter: {}, digest: null },
      'Ukentlig sammendrag hver mandag kl. 08:00 (Europe/Oslo).',
      'Weekly digest every Monday at 08:00 (Europe/Oslo).',
    ],
    [
      { kind: 'digest', filter: {}, digest: { weekday: 6, time: '09:30', timeZone: 'Europe/London' } },
      'Ukentlig sammendrag hver lørdag kl. 09:30 (Europe/London).',
      'Weekly digest every Saturday at 09:30 (Europe/London).',
    ],
    [
      { kind: 'kommune', filter: { kommuner: ['1804'] } },
      'Alle endringer i poeng og tier for 1804 Bodø.',
      'All changes in score and tier for 1804 Bodø.',
    ],
    [
      { kind: 'tomter', filter: { fylker: ['18'], minArealM2: 2000, tiers: [] } },
      'Nye kommunale tomter i Nordland på minst 2\u00a0000 m².',
      'New municipal lots in Nordland of at least 2,000 m².',
    ],
    [
      { kind: 'tomter', filter: {} },
      'Nye kommunale tomter i hele landet.',
      'New municipal lots anywhere in Norway.',
    ],
  ];
  it.each(cases)('%o', (s, nb, en) => {
    expect(describeSubscription(s, names, 'nb')).toBe(nb);
    expect(describeSubscription(s, names, 'en')).toBe(en);
  });
});

describe('invalidSubscriptionText and help rows', () => {
  it('every problem has a message with an example in both languages', () => {
    const inputs = ['abonner', 'avslutt', 'abonner x', 'avslutt x', 'abonner kommune', 'demp', 'opphev demping', 'abonner tier1 fylke', 'abonner tomter kommune',
      'abonner digest 8 9', 'avslutt tier1 x', 'abonner digest x', 'abonner digest 25', 'abonner digest tz X/Y', 'abonner digest tz', 'abonner tomter min x',
      'demp Bodø 999 dager', 'stille x', 'avslutt 0'];
    for (const input of inputs) {
      const cmd = parse(input);
      if (cmd?.name !== 'invalid-subscription') throw new Error(`expected invalid: ${input}`);
      expect(invalidSubscriptionText(cmd.problem, 'nb')).toMatch(/«.+»/);
      expect(invalidSubscriptionText(cmd.problem, 'en')).toMatch(/".+"/);
    }
  });

  it('exact messages for a few reasons', () => {
    expect(invalidSubscriptionText({ k: 'bad-day', value: 'fredagg' }, 'nb')).toBe('«fredagg» er ikke en ukedag. Skriv for eksempel «abonner digest fredag 15:00».');
    expect(invalidSubscriptionText({ k: 'bad-day', value: 'fridey' }, 'en')).toBe('"fridey" is not a day of the week. Try "subscribe digest friday 15:00".');
    expect(invalidSubscriptionText({ k: 'bad-days', value: '400', max: 365 }, 'nb')).toBe('«400» er ikke et gyldig antall dager (1–365). Skriv for eksempel «demp Bodø 30 dager».');
  });

  it('the examples in messages and help parse', () => {
    expect(helpRows('alerts', 'en')).toHaveLength(helpRows('alerts', 'nb').length);
    expect(helpRows('alerts', 'nb')[0]).toEqual(['abonner tier1 [fylke <navn>, …] [unntatt <kommune>, …]', 'Varsel når en kommune går inn i eller ut av Tier 1']);
    for (const ex of ['abonner tier1 fylke Nordland, Troms unntatt Bodø', 'subscribe tier1 county Nordland, Troms except Bodø', 'abonner digest mandag 08:00 tidssone Europe/Oslo',
      'subscribe digest monday 08:00 timezone Europe/Oslo', 'abonner tomter fylke Nordland min 2 mål', 'subscribe lots county Nordland min 2000 m2', 'demp Bodø 30 dager',
      'mute Bodø 30 days', 'opphev demping Bodø', 'unmute Bodø', 'stille 22:00-07:00', 'quiet 22:00-07:00', 'avslutt 2', 'unsubscribe 2', 'abonnementer', 'subscriptions']) {
      const cmd = parse(ex);
      expect(cmd, ex).not.toBeNull();
      expect(cmd?.name, ex).not.toBe('invalid-subscription');
    }
  });
});

describe('abonner tomter … tier', () => {
  it('takes the kommune tiers a lot must be in', () => {
    expect(parse('abonner tomter fylke Nordland tier 1 og 2')).toMatchObject({ name: 'subscribe-tomter', fylker: ['Nordland'], tiers: [1, 2], model: null });
    expect(parse('subscribe lots tier 1')).toMatchObject({ name: 'subscribe-tomter', lang: 'en', tiers: [1], model: null });
  });

  it('refuses a tier that does not exist, or none', () => {
    expect(parse('abonner tomter tier 4')).toMatchObject({ name: 'invalid-subscription', problem: { k: 'bad-tier', value: '4' } });
    expect(parse('abonner tomter tier')).toMatchObject({ name: 'invalid-subscription', problem: { k: 'bad-tier', value: '' } });
  });
});

describe('subscription commands: a named model', () => {
  it('takes "modell <id>" with any subscription kind', () => {
    expect(parse('abonner tier1 fylke Nordland modell seed-2026')).toEqual({ name: 'subscribe-tier1', lang: null, fylker: ['Nordland'], unntatt: [], model: 'seed-2026' });
    expect(parse('abonner kommune Bodø modell praksis')).toEqual({ name: 'subscribe-kommune', lang: null, kommune: 'Bodø', model: 'praksis' });
    expect(parse('abonner digest fredag 15:00 modell seed-2026')).toMatchObject({ name: 'subscribe-digest', model: 'seed-2026', schedule: { weekday: 5, time: '15:00' } });
    expect(parse('subscribe lots tier 1 model seed-2026')).toMatchObject({ name: 'subscribe-tomter', tiers: [1], model: 'seed-2026' });
  });

  it('"modell" without an id is a clear problem', () => {
    expect(parse('abonner tier1 modell')).toMatchObject({ name: 'invalid-subscription', problem: { k: 'missing-model' } });
  });
});
