/**
 * The ROBEK page parser on the page built from data/robek.csv (test/support/registers-mock.ts,
 * layout from stored copies of the real page): it reads the whole register, and every change of
 * shape that could make it read less fails loudly instead of emptying the register.
 */
import { describe, expect, it } from 'vitest';
import { htmlText, parseRobekPage, robekObservations } from '../../../../src/sources/kdd/robek';
import { robekPage } from '../../../support/registers-mock';
import { snapshotCsv, snapshotKommuner } from '../../../support/ssb-mock';

const codes = snapshotKommuner().map((k) => k.code);
const registered = snapshotCsv('robek.csv').filter((r) => r.value === '1');

describe('parseRobekPage', () => {
  it('reads the register of 2026-04-20: 27 kommuner with their law letters', () => {
    const reg = parseRobekPage(robekPage());
    expect(reg.date).toBe('2026-04-20');
    expect(reg.entries).toHaveLength(27);
    expect(reg.entries.map((e) => [e.code, e.letters])).toEqual(registered.map((r) => [r.kommunenummer, r.lovhjemmel_bokstav]));
    expect(reg.entries.find((e) => e.code === '5607')).toEqual({ code: '5607', name: 'Vadsø', letters: 'a, b, c og d' });
  });

  it('gives every 2024 kommune 1 or 0 on the register date, as the snapshot stores it', () => {
    const obs = robekObservations(parseRobekPage(robekPage()), { kommuneCodes: codes, url: 'https://example.test/robek', fetchedAt: '2026-05-01T00:00:00Z' });
    expect(obs).toHaveLength(357);
    expect(obs.filter((o) => o.value === 1)).toHaveLength(27);
    expect(obs.find((o) => o.regionCode === '1874')).toMatchObject({ indicator: 'robek_registered', period: '2026-04-20', value: 1, unit: 'registrert', source: 'KDD', sourceTable: 'ROBEK', publishedAt: '2026-04-20', note: 'kommuneloven § 28-1 bokstav a, b, c og d' });
    expect(obs.find((o) => o.regionCode === '5501')).toMatchObject({ value: 0, note: null });
  });

  it('an empty register is read as empty only when the page says 0', () => {
    const empty = robekPage({ drop: registered.map((r) => r.kommunenummer!), stated: 0 }).replace(/\d+ kommuner?</g, '0 kommuner<');
    expect(parseRobekPage(empty).entries).toEqual([]);
  });

  it.each([
    ['the table lost rows', { drop: ['1874'] }, /says 27 kommuner are registered but its table lists 26/],
    ['the stated count changed', { stated: 28 }, /says 28 kommuner are registered but its table lists 27/],
    ['the page was redesigned (no table)', { html: '<html><body><p>Registeret er sist oppdatert 01.06.2026.</p><p>Antall registrerte kommuner nå: 27</p><ul><li>1874 Moskenes</li></ul></body></html>' }, /no table with the columns/],
    ['the date sentence is gone', { html: robekPage().replace('Registeret er sist oppdatert', 'Sist endret') }, /no longer says «Registeret er sist oppdatert/],
    ['the count sentence is gone', { html: robekPage().replace('Antall registrerte kommuner n&aring;:', 'Registrerte:') }, /no longer says «Antall registrerte kommuner nå/],
    ['an empty table under a page that says 27', { html: robekPage({ drop: registered.map((r) => r.kommunenummer!) }) }, /says 27 kommuner are registered but its table lists 0/],
  ])('fails loudly when %s', (_what, opts, message) => {
    expect(() => parseRobekPage(robekPage(opts))).toThrow(message);
    expect(() => parseRobekPage(robekPage(opts))).toThrow(/the register tomte holds is kept$/);
  });

  it('fails when a county subtotal disagrees with the rows', () => {
    const page = robekPage().replace('>5 kommuner<', '>6 kommuner<');
    expect(() => parseRobekPage(page)).toThrow(/county subtotals add up to 28/);
  });

  it('fails on a kommune number outside the 2024 list rather than drop it', () => {
    const reg = parseRobekPage(robekPage());
    reg.entries[0] = { ...reg.entries[0]!, code: '1507' };
    expect(() => robekObservations(reg, { kommuneCodes: codes, url: 'x', fetchedAt: 'x' })).toThrow(/lists 1507 .*not in the 2024 kommune list/);
  });

  it('htmlText decodes entities and drops tags', () => {
    expect(htmlText('<td>Kommune-<br>nummer</td>')).toBe('Kommune- nummer');
    expect(htmlText('Vads&oslash; &amp; &#197;l&nbsp;&#x2013;')).toBe('Vadsø & Ål –');
  });
});
