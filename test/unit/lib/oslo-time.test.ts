import { describe, expect, it } from 'vitest';
import { msUntilOutsideWindow, osloClock, parseClockTime } from '../../../src/lib/oslo-time';

const MIN = 60_000;
const at = (iso: string) => new Date(iso);
const SSB_RELEASE = { from: '07:55', to: '08:15' };

describe('osloClock', () => {
  it.each([
    // winter (CET, UTC+1) and summer (CEST, UTC+2)
    ['2026-01-15T06:58:00Z', { hour: 7, minute: 58, isoDate: '2026-01-15', weekday: 4 }],
    ['2026-07-15T05:58:00Z', { hour: 7, minute: 58, isoDate: '2026-07-15', weekday: 3 }],
    // spring switch, Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC
    ['2026-03-29T00:59:59Z', { hour: 1, minute: 59, isoDate: '2026-03-29', weekday: 7 }],
    ['2026-03-29T01:00:00Z', { hour: 3, minute: 0, isoDate: '2026-03-29', weekday: 7 }],
    // autumn switch, Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC
    ['2026-10-25T00:59:00Z', { hour: 2, minute: 59, isoDate: '2026-10-25', weekday: 7 }],
    ['2026-10-25T01:00:00Z', { hour: 2, minute: 0, isoDate: '2026-10-25', weekday: 7 }],
    ['2026-10-25T02:00:00Z', { hour: 3, minute: 0, isoDate: '2026-10-25', weekday: 7 }],
    // the Oslo date runs ahead of the UTC date around midnight; midnight is hour 0, not 24
    ['2026-12-31T23:30:00Z', { hour: 0, minute: 30, isoDate: '2027-01-01', weekday: 5 }],
    ['2026-06-30T22:30:00Z', { hour: 0, minute: 30, isoDate: '2026-07-01', weekday: 3 }],
    ['2026-01-14T23:00:00Z', { hour: 0, minute: 0, isoDate: '2026-01-15', weekday: 4 }],
    ['2026-01-18T12:00:00Z', { hour: 13, minute: 0, isoDate: '2026-01-18', weekday: 7 }],
    ['2026-01-19T12:00:00Z', { hour: 13, minute: 0, isoDate: '2026-01-19', weekday: 1 }],
  ])('%s is %o in Oslo', (iso, expected) => {
    expect(osloClock(at(iso))).toEqual(expected);
  });

  it('rejects an invalid date', () => {
    expect(() => osloClock(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('msUntilOutsideWindow', () => {
  it.each([
    ['winter 07:58 → 08:15', '2026-01-15T06:58:00Z', 17 * MIN],
    ['summer 07:58 → 08:15 (DST)', '2026-07-15T05:58:00Z', 17 * MIN],
    ['winter, the window start is inside', '2026-01-15T06:55:00Z', 20 * MIN],
    ['winter, a second before the window', '2026-01-15T06:54:59Z', 0],
    ['winter, half a second before the end', '2026-01-15T07:14:59.500Z', 500],
    ['winter, the end is outside', '2026-01-15T07:15:00Z', 0],
    ['summer 08:58 (06:58 UTC) is outside', '2026-07-15T06:58:00Z', 0],
    ['summer 06:58 (04:58 UTC) is outside', '2026-07-15T04:58:00Z', 0],
  ])('%s', (_name, iso, expected) => {
    expect(msUntilOutsideWindow(at(iso), SSB_RELEASE)).toBe(expected);
  });

  it('counts real time across the spring switch (wall clock 01:30 → 04:00 is 1.5 h)', () => {
    expect(msUntilOutsideWindow(at('2026-03-29T00:30:00Z'), { from: '01:00', to: '04:00' })).toBe(90 * MIN);
  });

  it('counts real time across the autumn switch (wall clock 01:30 → 04:00 is 3.5 h)', () => {
    expect(msUntilOutsideWindow(at('2026-10-24T23:30:00Z'), { from: '01:00', to: '04:00' })).toBe(210 * MIN);
  });

  it('ends a window at the spring jump when its end time never happens', () => {
    // 01:45 CET; 02:30 does not exist that night, the clock jumps from 02:00 to 03:00 at 01:00 UTC.
    expect(msUntilOutsideWindow(at('2026-03-29T00:45:00Z'), { from: '01:30', to: '02:30' })).toBe(15 * MIN);
  });

  it('ends a window at the first 02:45 in the autumn and again at the second', () => {
    const w = { from: '02:00', to: '02:45' };
    expect(msUntilOutsideWindow(at('2026-10-25T00:10:00Z'), w)).toBe(35 * MIN); // 02:10 CEST
    expect(msUntilOutsideWindow(at('2026-10-25T00:50:00Z'), w)).toBe(0); // 02:50 CEST
    expect(msUntilOutsideWindow(at('2026-10-25T01:10:00Z'), w)).toBe(35 * MIN); // 02:10 CET
  });

  it('handles a window that wraps midnight', () => {
    const w = { from: '23:00', to: '01:00' };
    expect(msUntilOutsideWindow(at('2026-01-15T22:30:00Z'), w)).toBe(90 * MIN); // 23:30
    expect(msUntilOutsideWindow(at('2026-01-15T23:30:00Z'), w)).toBe(30 * MIN); // 00:30
    expect(msUntilOutsideWindow(at('2026-01-15T00:30:00Z'), w)).toBe(0); // 01:30
    expect(msUntilOutsideWindow(at('2026-01-15T12:00:00Z'), w)).toBe(0);
  });

  it('handles a wrapping window that spans the spring switch (22:30 CET → 03:30 CEST is 4 h)', () => {
    expect(msUntilOutsideWindow(at('2026-03-28T21:30:00Z'), { from: '22:00', to: '03:30' })).toBe(4 * 60 * MIN);
  });

  it('an empty window (from = to) is never entered', () => {
    expect(msUntilOutsideWindow(at('2026-01-15T06:58:00Z'), { from: '07:58', to: '07:58' })).toBe(0);
  });

  it.each(['8:15', '24:00', '07:60', '0755', '', ' 07:55'])('rejects the time %j', (bad) => {
    expect(() => msUntilOutsideWindow(at('2026-01-15T06:58:00Z'), { from: bad, to: '08:15' })).toThrow(RangeError);
    expect(() => parseClockTime(bad)).toThrow(/HH:MM/);
  });
});
