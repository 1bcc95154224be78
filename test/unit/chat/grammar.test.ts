import { describe, expect, it } from 'vitest';
import { MAX_COMPARE, MAX_INPUT_LENGTH, MAX_LIMIT, cleanInput, type Command } from '../../../src/chat/grammar';
import { parseCommand } from '../../../src/chat/commands';

describe('parseCommand: keywords and aliases', () => {
  it.each<[string, Command]>([
    ['kommune Bodø', { name: 'kommune', lang: null, query: 'Bodø', model: null }],
    ['k Bodø', { name: 'kommune', lang: null, query: 'Bodø', model: null }],
    ['municipality Bodø', { name: 'kommune', lang: 'en', query: 'Bodø', model: null }],
    ['KOMMUNE Mo i Rana', { name: 'kommune', lang: null, query: 'Mo i Rana', model: null }],
    ['/kommune 1804', { name: 'kommune', lang: null, query: '1804', model: null }],
    ['hvorfor Oslo', { name: 'hvorfor', lang: null, query: 'Oslo', model: null }],
    ['why Oslo', { name: 'hvorfor', lang: 'en', query: 'Oslo', model: null }],
    ['kilder', { name: 'kilder', lang: null }],
    ['sources', { name: 'kilder', lang: 'en' }],
    ['status', { name: 'status', lang: null }],
    ['hjelp', { name: 'hjelp', lang: null, topic: null }],
    ['help', { name: 'hjelp', lang: 'en', topic: null }],
    ['hjelp Topp', { name: 'hjelp', lang: null, topic: 'topp' }],
    ['top 5', { name: 'topp', lang: 'en', limit: 5, county: null, model: null }],
    ['compare Bodø, Tromsø', { name: 'sammenlign', lang: 'en', queries: ['Bodø', 'Tromsø'], raw: 'Bodø, Tromsø', model: null }],
  ])('%s', (input, expected) => {
    expect(parseCommand(input)).toEqual(expected);
  });

  it('a bare name or number is a kommune lookup of the whole text', () => {
    expect(parseCommand('Bodø')).toEqual({ name: 'kommune', lang: null, query: 'Bodø', model: null });
    expect(parseCommand('1804')).toEqual({ name: 'kommune', lang: null, query: '1804', model: null });
    expect(parseCommand('Mo i Rana')).toEqual({ name: 'kommune', lang: null, query: 'Mo i Rana', model: null });
    expect(parseCommand('  guovdageaidnu  ')).toEqual({ name: 'kommune', lang: null, query: 'guovdageaidnu', model: null });
  });

  it('empty input is a request for help', () => {
    expect(parseCommand('')).toEqual({ name: 'hjelp', lang: null, topic: null });
    expect(parseCommand(' \t\n ')).toEqual({ name: 'hjelp', lang: null, topic: null });
  });

  it('kommune and hvorfor without a name are invalid', () => {
    expect(parseCommand('kommune')).toEqual({ name: 'invalid', lang: null, problem: { k: 'missing-kommune', command: 'kommune' }, input: 'kommune' });
    expect(parseCommand('why')).toMatchObject({ name: 'invalid', lang: 'en', problem: { k: 'missing-kommune', command: 'why' } });
  });
});

describe('parseCommand: topp', () => {
  it('defaults to 10', () => {
    expect(parseCommand('topp')).toEqual({ name: 'topp', lang: null, limit: 10, county: null, model: null });
  });

  it('takes a number', () => {
    expect(parseCommand('topp 25')).toMatchObject({ name: 'topp', limit: 25, model: null });
    expect(parseCommand('topp 1')).toMatchObject({ name: 'topp', limit: 1, model: null });
  });

  it.each(['0', 'abc', '-5', '2.5', '10x'])('topp %s is an invalid number', (n) => {
    expect(parseCommand(`topp ${n}`)).toEqual({ name: 'invalid', lang: null, problem: { k: 'bad-number', command: 'topp', value: n }, input: `topp ${n}` });
  });

  it('caps the number at 357', () => {
    expect(MAX_LIMIT).toBe(357);
    expect(parseCommand('topp 1000')).toMatchObject({ name: 'topp', limit: 357, model: null });
    expect(parseCommand('topp 357')).toMatchObject({ name: 'topp', limit: 357, model: null });
    expect(parseCommand('topp 358')).toMatchObject({ name: 'topp', limit: 357, model: null });
  });

  it('takes a county after fylke, county or i', () => {
    expect(parseCommand('topp 10 fylke Nordland')).toEqual({ name: 'topp', lang: null, limit: 10, county: 'Nordland', model: null });
    expect(parseCommand('topp fylke Møre og Romsdal')).toEqual({ name: 'topp', lang: null, limit: 10, county: 'Møre og Romsdal', model: null });
    expect(parseCommand('top 3 county Troms')).toEqual({ name: 'topp', lang: 'en', limit: 3, county: 'Troms', model: null });
    expect(parseCommand('topp 5 i Agder')).toEqual({ name: 'topp', lang: null, limit: 5, county: 'Agder', model: null });
    expect(parseCommand('topp 5 FYLKE Agder')).toMatchObject({ county: 'Agder' });
  });

  it('a trailing fylke without a name means no county filter', () => {
    expect(parseCommand('topp 5 fylke')).toEqual({ name: 'topp', lang: null, limit: 5, county: null, model: null });
  });

  it('extra words are an unknown option', () => {
    expect(parseCommand('topp 5 beste')).toMatchObject({ name: 'invalid', problem: { k: 'unknown-option', command: 'topp', value: 'beste' } });
  });
});

describe('parseCommand: tier', () => {
  it.each([1, 2, 3] as const)('tier %i', (n) => {
    expect(parseCommand(`tier ${n}`)).toEqual({ name: 'tier', lang: null, tier: n, county: null, model: null });
  });

  it('takes a county', () => {
    expect(parseCommand('tier 2 fylke Nordland')).toEqual({ name: 'tier', lang: null, tier: 2, county: 'Nordland', model: null });
  });

  it.each([['4', '4'], ['0', '0'], ['x', 'x'], ['', ''], ['12', '12']])('tier %j is invalid', (arg, value) => {
    expect(parseCommand(`tier ${arg}`)).toMatchObject({ name: 'invalid', problem: { k: 'bad-tier', value } });
  });

  it('extra words are an unknown option', () => {
    expect(parseCommand('tier 1 2')).toMatchObject({ name: 'invalid', problem: { k: 'unknown-option', command: 'tier', value: '2' } });
  });
});

describe('parseCommand: sammenlign', () => {
  it.each([
    ['sammenlign Bodø, Tromsø', ['Bodø', 'Tromsø']],
    ['sammenlign Bodø,Tromsø , Alta', ['Bodø', 'Tromsø', 'Alta']],
    ['sammenlign Bodø; Tromsø', ['Bodø', 'Tromsø']],
    ['sammenlign Bodø mot Tromsø', ['Bodø', 'Tromsø']],
    ['sammenlign Bodø MOT Tromsø', ['Bodø', 'Tromsø']],
    ['sammenlign Bodø vs Tromsø', ['Bodø', 'Tromsø']],
    ['sammenlign Bodø vs. Tromsø', ['Bodø', 'Tromsø']],
    ['sammenlign Bodø versus Tromsø', ['Bodø', 'Tromsø']],
    ['sammenlign Mo i Rana, Bodø', ['Mo i Rana', 'Bodø']],
    ['sammenlign Bodø, , Tromsø,', ['Bodø', 'Tromsø']],
  ])('%s', (input, queries) => {
    const raw = input.slice('sammenlign '.length);
    expect(parseCommand(input)).toEqual({ name: 'sammenlign', lang: null, queries, raw, model: null });
  });

  it('without separators the words are left to the handler (queries empty, raw kept)', () => {
    expect(parseCommand('sammenlign bodo tromso alta')).toEqual({ name: 'sammenlign', lang: null, queries: [], raw: 'bodo tromso alta', model: null });
  });

  it('a word containing mot or vs is not a separator', () => {
    expect(parseCommand('sammenlign Motvind vsx')).toMatchObject({ queries: [], raw: 'Motvind vsx' });
  });

  it('nothing to compare is invalid', () => {
    expect(parseCommand('sammenlign')).toMatchObject({ name: 'invalid', problem: { k: 'too-few-to-compare' } });
  });

  it(`more than ${MAX_COMPARE} is invalid`, () => {
    const names = Array.from({ length: MAX_COMPARE + 1 }, (_, i) => `K${i}`);
    expect(parseCommand(`sammenlign ${names.join(', ')}`)).toMatchObject({ name: 'invalid', problem: { k: 'too-many-to-compare', max: MAX_COMPARE } });
    expect(parseCommand(`sammenlign ${names.slice(1).join(', ')}`)).toMatchObject({ name: 'sammenlign', queries: names.slice(1), model: null });
  });
});

describe('cleanInput', () => {
  it('replaces control characters with spaces and collapses whitespace', () => {
    expect(cleanInput('kommune\u0000Bodø')).toBe('kommune Bodø');
    expect(cleanInput('\u0007kommune \u001b[31m Bodø\u007f\u0085')).toBe('kommune [31m Bodø');
    expect(cleanInput('  topp\t\t10\r\nfylke   Nordland  ')).toBe('topp 10 fylke Nordland');
  });

  it('drops invisible formatting: zero-width, bidi overrides, BOM', () => {
    expect(cleanInput('\ufeff\u200bBodø\u200b')).toBe('Bodø');
    expect(cleanInput('Bodø \u200b\u200f Tromsø')).toBe('Bodø Tromsø');
    expect(cleanInput('\u202eBodø\u202c')).toBe('Bodø');
    expect(cleanInput('\u2060\u2066x\u2069')).toBe('x');
  });

  it('normalises to NFC so decomposed æøå match', () => {
    const decomposed = 'Bodo\u0308'.normalize('NFD');
    expect(cleanInput(decomposed)).toBe('Bodö');
    expect(cleanInput('A\u030arnes')).toBe('Årnes');
  });

  it('caps the length at 500 characters', () => {
    expect(MAX_INPUT_LENGTH).toBe(500);
    expect(cleanInput('a'.repeat(600))).toHaveLength(500);
    expect(cleanInput('a'.repeat(500))).toHaveLength(500);
    expect(cleanInput('a'.repeat(499))).toHaveLength(499);
    // Leading junk does not eat into the budget of the real text.
    expect(cleanInput(`${' '.repeat(300)}${'b'.repeat(600)}`)).toBe('b'.repeat(500));
    expect(cleanInput('x'.repeat(100_000))).toHaveLength(500);
  });

  it('keeps ordinary text as it is', () => {
    expect(cleanInput("Guovdageaidnu - Kautokeino, Bø i Telemark'")).toBe("Guovdageaidnu - Kautokeino, Bø i Telemark'");
    expect(cleanInput('🏠 Bodø')).toBe('🏠 Bodø');
  });

  it('does not cut a surrogate pair in half at the length cap', () => {
    const text = `a${'🏠'.repeat(300)}`;
    const cleaned = cleanInput(text);
    expect(cleaned.length).toBeLessThanOrEqual(500);
    // A lone surrogate is not valid UTF-16: it turns into U+FFFD on the way to Slack, Teams or a terminal.
    expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(cleaned)).toBe(false);
  });

  it('parseCommand reads the cleaned text', () => {
    expect(parseCommand('\u0000kommune\u200b\u0000Bodø\u0007')).toEqual({ name: 'kommune', lang: null, query: 'Bodø', model: null });
    const long = parseCommand(`kommune ${'x'.repeat(1000)}`);
    expect(long.name).toBe('kommune');
    expect(long.name === 'kommune' ? long.query.length : 0).toBe(500 - 'kommune '.length);
  });
});

describe('parseCommand: modell option and modeller', () => {
  it('takes "modell <id>" anywhere after the keyword, with the other options', () => {
    expect(parseCommand('kommune Bodø modell seed-2026')).toEqual({ name: 'kommune', lang: null, query: 'Bodø', model: 'seed-2026' });
    expect(parseCommand('hvorfor modell Seed Bodø')).toEqual({ name: 'hvorfor', lang: null, query: 'Bodø', model: 'seed' });
    expect(parseCommand('topp 10 fylke Nordland modell praksis-2026')).toEqual({ name: 'topp', lang: null, limit: 10, county: 'Nordland', model: 'praksis-2026' });
    expect(parseCommand('tier 1 model seed-2026')).toEqual({ name: 'tier', lang: null, tier: 1, county: null, model: 'seed-2026' });
    expect(parseCommand('compare Bodø, Tromsø model seed-2026')).toMatchObject({ name: 'sammenlign', queries: ['Bodø', 'Tromsø'], model: 'seed-2026' });
  });

  it('"modell" without an id is invalid, naming the command', () => {
    expect(parseCommand('topp 10 modell')).toMatchObject({ name: 'invalid', problem: { k: 'missing-model', command: 'topp' } });
  });

  it('modeller and models list the models', () => {
    expect(parseCommand('modeller')).toEqual({ name: 'modeller', lang: null });
    expect(parseCommand('models')).toEqual({ name: 'modeller', lang: 'en' });
  });
});
