import { describe, expect, it } from 'vitest';
import {
  digestSlot,
  isDigestDue,
  isValidTimeZone,
  localParts,
  nextDigestAt,
  parseClock,
  previousDigestAt,
  quietUntil,
  zonedTimeToUtc,
} from '../../../src/domain/alerts/schedule';
import { DEFAULT_DIGEST, type DigestSchedule, type QuietHours } from '../../../src/domain/alerts/types';

const OSLO = 'Europe/Oslo';
const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;
const next = (s: DigestSchedule, after: string) => nextDigestAt(s, at(after)).toISOString();
const prev = (s: DigestSchedule, atOrBefore: string) => previousDigestAt(s, at(atOrBefore)).toISOString();

// DST in 2026/2027 — Europe: 29 Mar / 25 Oct 2026, 28 Mar / 31 Oct 2027 (01:00Z).
// America/New_York: 8 Mar / 1 Nov 2026. Australia/Sydney: ends 5 Apr, starts 4 Oct 2026.

describe('localParts', () => {
  it('reads the wall clock and ISO weekday in the zone', () => {
    expect(localParts(at('2026-03-30T06:00:00Z'), OSLO)).toEqual({ year: 2026, month: 3, day: 30, hour: 8, minute: 0, weekday: 1 });
    expect(localParts(at('2026-03-29T12:00:00Z'), 'Asia/Kolkata')).toMatchObject({ hour: 17, minute: 30, weekday: 7 });
  });

  it('reports midnight as hour 0 (h23) and rolls the date and weekday', () => {
    expect(localParts(at('2026-01-04T23:00:00Z'), OSLO)).toEqual({ year: 2026, month: 1, day: 5, hour: 0, minute: 0, weekday: 1 });
    expect(localParts(at('2026-12-31T23:30:00Z'), OSLO)).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 30, weekday: 5 });
  });

  it('follows DST: the clock jumps 02:00 → 03:00 and repeats 02:00–03:00', () => {
    expect(localParts(at('2026-03-29T00:59:00Z'), OSLO)).toMatchObject({ hour: 1, minute: 59 });
    expect(localParts(at('2026-03-29T01:00:00Z'), OSLO)).toMatchObject({ hour: 3, minute: 0 });
    expect(localParts(at('2026-10-25T00:30:00Z'), OSLO)).toMatchObject({ day: 25, hour: 2, minute: 30 });
    expect(localParts(at('2026-10-25T01:30:00Z'), OSLO)).toMatchObject({ day: 25, hour: 2, minute: 30 });
  });

  it('throws RangeError for an unknown zone or an invalid date', () => {
    expect(() => localParts(at('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localParts(new Date(NaN), OSLO)).toThrow(RangeError);
  });
});

describe('zonedTimeToUtc', () => {
  const z = (year: number, month: number, day: number, hour: number, minute: number, tz: string) =>
    zonedTimeToUtc({ year, month, day, hour, minute }, tz).toISOString();

  it('converts ordinary wall times with the offset in force', () => {
    expect(z(2026, 1, 15, 8, 0, OSLO)).toBe('2026-01-15T07:00:00.000Z');
    expect(z(2026, 7, 15, 8, 0, OSLO)).toBe('2026-07-15T06:00:00.000Z');
    expect(z(2026, 7, 3, 17, 30, 'Asia/Kolkata')).toBe('2026-07-03T12:00:00.000Z');
    expect(z(2026, 6, 1, 12, 0, 'UTC')).toBe('2026-06-01T12:00:00.000Z');
  });

  it('shifts a wall time in the spring-forward gap forward by the gap', () => {
    expect(z(2026, 3, 29, 2, 0, OSLO)).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(z(2026, 3, 29, 2, 30, OSLO)).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(z(2026, 3, 29, 3, 0, OSLO)).toBe('2026-03-29T01:00:00.000Z'); // exists: 03:00 CEST
    expect(z(2027, 3, 28, 2, 30, OSLO)).toBe('2027-03-28T01:30:00.000Z');
    expect(z(2026, 3, 8, 2, 30, 'America/New_York')).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(z(2026, 10, 4, 2, 30, 'Australia/Sydney')).toBe('2026-10-03T16:30:00.000Z'); // 03:30 AEDT
    // A 30-minute gap (02:00 → 02:30 on Lord Howe Island): shifted by 30 minutes, to 02:45 +11.
    expect(z(2026, 10, 4, 2, 15, 'Australia/Lord_Howe')).toBe('2026-10-03T15:45:00.000Z');
  });

  it('resolves a repeated (fall-back) wall time to its first occurrence', () => {
    expect(z(2026, 10, 25, 2, 30, OSLO)).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, not 01:30Z (CET)
    expect(z(2026, 10, 25, 2, 0, OSLO)).toBe('2026-10-25T00:00:00.000Z');
    expect(z(2026, 10, 25, 3, 0, OSLO)).toBe('2026-10-25T02:00:00.000Z'); // not repeated
    expect(z(2027, 10, 31, 2, 30, OSLO)).toBe('2027-10-31T00:30:00.000Z');
    expect(z(2026, 11, 1, 1, 30, 'America/New_York')).toBe('2026-11-01T05:30:00.000Z'); // EDT
    expect(z(2026, 4, 5, 2, 30, 'Australia/Sydney')).toBe('2026-04-04T15:30:00.000Z'); // AEDT
    expect(z(2026, 4, 5, 1, 45, 'Australia/Lord_Howe')).toBe('2026-04-04T14:45:00.000Z'); // +11
  });

  it('round-trips with localParts for every quarter hour across both Oslo DST days', () => {
    for (const start of ['2026-03-28T22:00:00Z', '2026-10-24T22:00:00Z']) {
      for (let t = Date.parse(start); t < Date.parse(start) + 26 * 3_600_000; t += 15 * 60_000) {
        const { weekday: _w, ...wall } = localParts(new Date(t), OSLO);
        const back = zonedTimeToUtc(wall, OSLO).getTime();
        // Equal, or — in the repeated hour — the first occurrence, exactly one hour earlier.
        expect([t, t - 3_600_000]).toContain(back);
        expect(localParts(new Date(back), OSLO)).toMatchObject(wall);
      }
    }
  });

  it('rejects an invalid wall time or zone', () => {
    expect(() => zonedTimeToUtc({ year: 2026, month: 1, day: 1, hour: NaN, minute: 0 }, OSLO)).toThrow(RangeError);
    expect(() => zonedTimeToUtc({ year: 2026, month: 1, day: 1, hour: 8, minute: 0 }, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('nextDigestAt / previousDigestAt', () => {
  const monday8 = DEFAULT_DIGEST; // Monday 08:00 Europe/Oslo

  it('Oslo Monday 08:00 across the March 2026 change (07:00Z in winter, 06:00Z in summer)', () => {
    expect(next(monday8, '2026-03-23T06:59:00Z')).toBe('2026-03-23T07:00:00.000Z');
    expect(next(monday8, '2026-03-23T07:00:00Z')).toBe('2026-03-30T06:00:00.000Z'); // strictly after
    expect(next(monday8, '2026-03-27T12:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
    expect(next(monday8, '2026-03-29T01:30:00Z')).toBe('2026-03-30T06:00:00.000Z');
    expect(next(monday8, '2026-03-30T06:00:00Z')).toBe('2026-04-06T06:00:00.000Z');
  });

  it('Oslo Monday 08:00 across the October 2026 change', () => {
    expect(next(monday8, '2026-10-19T05:59:00Z')).toBe('2026-10-19T06:00:00.000Z');
    expect(next(monday8, '2026-10-19T06:00:00Z')).toBe('2026-10-26T07:00:00.000Z');
    expect(next(monday8, '2026-10-25T12:00:00Z')).toBe('2026-10-26T07:00:00.000Z');
    expect(next(monday8, '2026-10-26T06:30:00Z')).toBe('2026-10-26T07:00:00.000Z'); // 07:30 CET
  });

  it('Oslo Monday 08:00 across the 2027 changes (28 Mar, 31 Oct)', () => {
    expect(next(monday8, '2027-03-22T06:00:00Z')).toBe('2027-03-22T07:00:00.000Z');
    expect(next(monday8, '2027-03-26T12:00:00Z')).toBe('2027-03-29T06:00:00.000Z');
    expect(next(monday8, '2027-10-25T05:00:00Z')).toBe('2027-10-25T06:00:00.000Z');
    expect(next(monday8, '2027-10-29T12:00:00Z')).toBe('2027-11-01T07:00:00.000Z');
  });

  it('crosses the year boundary', () => {
    expect(next(monday8, '2026-12-31T12:00:00Z')).toBe('2027-01-04T07:00:00.000Z');
    expect(prev(monday8, '2027-01-03T12:00:00Z')).toBe('2026-12-28T07:00:00.000Z');
  });

  it('a Sunday 02:30 digest on the spring-forward day is shifted to 03:30 CEST', () => {
    const sunday0230: DigestSchedule = { weekday: 7, time: '02:30', timeZone: OSLO };
    expect(next(sunday0230, '2026-03-28T12:00:00Z')).toBe('2026-03-29T01:30:00.000Z');
    expect(next(sunday0230, '2026-03-29T01:30:00Z')).toBe('2026-04-05T00:30:00.000Z');
    expect(next(sunday0230, '2026-03-22T00:00:00Z')).toBe('2026-03-22T01:30:00.000Z'); // CET week before
  });

  it('a Sunday 02:30 digest on the fall-back day fires once, at the first occurrence', () => {
    const sunday0230: DigestSchedule = { weekday: 7, time: '02:30', timeZone: OSLO };
    expect(next(sunday0230, '2026-10-24T12:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(next(sunday0230, '2026-10-25T00:30:00Z')).toBe('2026-11-01T01:30:00.000Z');
    // Between the two occurrences (02:00 CET): not the second 02:30, but next week.
    expect(next(sunday0230, '2026-10-25T01:00:00Z')).toBe('2026-11-01T01:30:00.000Z');
    expect(prev(sunday0230, '2026-10-25T01:45:00Z')).toBe('2026-10-25T00:30:00.000Z');
  });

  it('America/New_York Monday 09:00: 14:00Z in winter, 13:00Z in summer', () => {
    const ny: DigestSchedule = { weekday: 1, time: '09:00', timeZone: 'America/New_York' };
    expect(next(ny, '2026-02-28T00:00:00Z')).toBe('2026-03-02T14:00:00.000Z');
    expect(next(ny, '2026-03-02T14:00:00Z')).toBe('2026-03-09T13:00:00.000Z');
    expect(next(ny, '2026-10-20T00:00:00Z')).toBe('2026-10-26T13:00:00.000Z');
    expect(next(ny, '2026-10-26T13:00:00Z')).toBe('2026-11-02T14:00:00.000Z');
  });

  it('Asia/Kolkata Friday 17:30 (+05:30, no DST) is always 12:00Z', () => {
    const kolkata: DigestSchedule = { weekday: 5, time: '17:30', timeZone: 'Asia/Kolkata' };
    expect(next(kolkata, '2026-03-27T11:59:00Z')).toBe('2026-03-27T12:00:00.000Z');
    expect(next(kolkata, '2026-03-27T12:00:00Z')).toBe('2026-04-03T12:00:00.000Z');
    expect(next(kolkata, '2026-06-30T00:00:00Z')).toBe('2026-07-03T12:00:00.000Z');
    expect(next(kolkata, '2026-10-30T12:30:00Z')).toBe('2026-11-06T12:00:00.000Z');
  });

  it('Australia/Sydney Monday 08:00 across southern-hemisphere DST (ends 5 Apr, starts 4 Oct 2026)', () => {
    const sydney: DigestSchedule = { weekday: 1, time: '08:00', timeZone: 'Australia/Sydney' };
    // Local Monday 08:00 is Sunday evening UTC: AEDT +11 → 21:00Z, AEST +10 → 22:00Z.
    expect(next(sydney, '2026-03-28T00:00:00Z')).toBe('2026-03-29T21:00:00.000Z');
    expect(next(sydney, '2026-03-29T21:00:00Z')).toBe('2026-04-05T22:00:00.000Z');
    expect(next(sydney, '2026-09-26T00:00:00Z')).toBe('2026-09-27T22:00:00.000Z');
    expect(next(sydney, '2026-09-27T22:00:00Z')).toBe('2026-10-04T21:00:00.000Z');
    const sunday0230: DigestSchedule = { weekday: 7, time: '02:30', timeZone: 'Australia/Sydney' };
    expect(next(sunday0230, '2026-10-01T00:00:00Z')).toBe('2026-10-03T16:30:00.000Z'); // gap → 03:30 AEDT
    expect(next(sunday0230, '2026-04-01T00:00:00Z')).toBe('2026-04-04T15:30:00.000Z'); // first 02:30 (AEDT)
  });

  it('handles DST changes at local midnight that move a slot onto the neighbouring date', () => {
    // America/Nuuk skips Saturday 23:00–24:00 on 2026-03-28: Saturday 23:30 becomes Sunday 00:30 (-01).
    const nuuk: DigestSchedule = { weekday: 6, time: '23:30', timeZone: 'America/Nuuk' };
    expect(next(nuuk, '2026-03-29T01:15:00Z')).toBe('2026-03-29T01:30:00.000Z'); // after = Sunday 00:15
    // St. John's fell back from Sunday 00:01 to Saturday 23:01 on 2010-11-07: Sunday 00:00 came first.
    const stJohns: DigestSchedule = { weekday: 7, time: '00:00', timeZone: 'America/St_Johns' };
    expect(prev(stJohns, '2010-11-07T02:45:00Z')).toBe('2010-11-07T02:30:00.000Z'); // at = Saturday 23:15
  });

  it('previousDigestAt is the latest slot at or before the instant', () => {
    expect(prev(monday8, '2026-03-30T06:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
    expect(prev(monday8, '2026-03-30T05:59:59.999Z')).toBe('2026-03-23T07:00:00.000Z');
    expect(prev(monday8, '2026-10-26T06:59:00Z')).toBe('2026-10-19T06:00:00.000Z');
  });

  it('every Monday of 2026–2027 is 08:00 Oslo, and next/previous agree', () => {
    let slot = nextDigestAt(monday8, at('2026-01-01T00:00:00Z'));
    for (let i = 0; i < 104; i++) {
      expect(localParts(slot, OSLO)).toMatchObject({ weekday: 1, hour: 8, minute: 0 });
      expect(previousDigestAt(monday8, slot).getTime()).toBe(slot.getTime());
      const following = nextDigestAt(monday8, slot);
      expect(previousDigestAt(monday8, new Date(following.getTime() - 1)).getTime()).toBe(slot.getTime());
      expect([167, 168, 169]).toContain((following.getTime() - slot.getTime()) / 3_600_000);
      slot = following;
    }
  });

  it('throws RangeError for an invalid schedule', () => {
    expect(() => nextDigestAt({ ...monday8, time: '25:00' }, at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => nextDigestAt({ ...monday8, timeZone: 'Mars/Olympus' }, at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(() => previousDigestAt({ ...monday8, weekday: 8 as 1 }, at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('isDigestDue / digestSlot', () => {
  const s = DEFAULT_DIGEST;
  const createdTuesday = at('2026-03-24T10:00:00Z');

  it('a subscription created on a Tuesday waits for the next Monday 08:00', () => {
    expect(isDigestDue(s, null, createdTuesday, at('2026-03-24T10:05:00Z'))).toBe(false);
    expect(isDigestDue(s, null, createdTuesday, at('2026-03-29T23:00:00Z'))).toBe(false);
    expect(isDigestDue(s, null, createdTuesday, at('2026-03-30T05:59:00Z'))).toBe(false);
  });

  it('a run exactly at the slot instant is due', () => {
    expect(isDigestDue(s, null, createdTuesday, at('2026-03-30T06:00:00Z'))).toBe(true);
  });

  it('after sending at the slot, not due again the same week', () => {
    const sent = at('2026-03-30T06:00:00Z');
    expect(isDigestDue(s, sent, createdTuesday, at('2026-03-30T06:00:00Z'))).toBe(false);
    expect(isDigestDue(s, sent, createdTuesday, at('2026-03-30T12:00:00Z'))).toBe(false);
    expect(isDigestDue(s, sent, createdTuesday, at('2026-04-06T05:59:59Z'))).toBe(false);
    expect(isDigestDue(s, sent, createdTuesday, at('2026-04-06T06:00:00Z'))).toBe(true);
  });

  it('a slot missed while the service was down is sent once when it comes back', () => {
    const sent = at('2026-03-30T06:00:03Z');
    const backOnTuesday = at('2026-04-07T10:00:00Z');
    expect(isDigestDue(s, sent, createdTuesday, backOnTuesday)).toBe(true);
    expect(digestSlot(s, backOnTuesday)).toBe('2026-04-06T06:00:00.000Z');
    expect(isDigestDue(s, backOnTuesday, createdTuesday, at('2026-04-07T10:01:00Z'))).toBe(false);
  });

  it('several missed slots give one digest, keyed by the latest slot', () => {
    const sent = at('2026-03-30T06:00:03Z');
    const now = at('2026-04-15T09:00:00Z');
    expect(isDigestDue(s, sent, createdTuesday, now)).toBe(true);
    expect(digestSlot(s, now)).toBe('2026-04-13T06:00:00.000Z');
    expect(isDigestDue(s, now, createdTuesday, at('2026-04-15T09:05:00Z'))).toBe(false);
  });

  it('the slot key is stable within a week and changes at the next slot', () => {
    expect(digestSlot(s, at('2026-10-19T06:00:00Z'))).toBe('2026-10-19T06:00:00.000Z');
    expect(digestSlot(s, at('2026-10-25T23:00:00Z'))).toBe('2026-10-19T06:00:00.000Z');
    expect(digestSlot(s, at('2026-10-26T07:00:00Z'))).toBe('2026-10-26T07:00:00.000Z');
  });
});

describe('quietUntil', () => {
  const night: QuietHours = { start: '22:00', end: '07:00' };
  const q = (quiet: QuietHours, when: string, tz = OSLO) => iso(quietUntil(quiet, tz, at(when)));

  it('inside a window crossing midnight: ends at 07:00 local on the right day', () => {
    expect(q(night, '2026-01-14T22:30:00Z')).toBe('2026-01-15T06:00:00.000Z'); // 23:30 CET → next day 07:00
    expect(q(night, '2026-06-14T21:30:00Z')).toBe('2026-06-15T05:00:00.000Z'); // 23:30 CEST → next day 07:00
    expect(q(night, '2026-01-15T05:59:00Z')).toBe('2026-01-15T06:00:00.000Z'); // 06:59 → same day 07:00
    expect(q(night, '2026-01-14T21:00:00Z')).toBe('2026-01-15T06:00:00.000Z'); // 22:00 is inside
  });

  it('outside the window: null (end is exclusive)', () => {
    expect(q(night, '2026-01-15T06:00:00Z')).toBeNull(); // 07:00
    expect(q(night, '2026-01-15T11:00:00Z')).toBeNull(); // 12:00
    expect(q(night, '2026-01-14T20:59:00Z')).toBeNull(); // 21:59
  });

  it('a night crossing the October DST change ends at 07:00 CET = 06:00Z', () => {
    expect(q(night, '2026-10-24T21:00:00Z')).toBe('2026-10-25T06:00:00.000Z'); // 23:00 CEST
    expect(q(night, '2026-10-25T01:15:00Z')).toBe('2026-10-25T06:00:00.000Z'); // second 02:15 (CET)
  });

  it('a night crossing the March DST change ends at 07:00 CEST = 05:00Z', () => {
    expect(q(night, '2026-03-28T22:00:00Z')).toBe('2026-03-29T05:00:00.000Z'); // 23:00 CET
  });

  it('a window that does not cross midnight', () => {
    const lunch: QuietHours = { start: '12:00', end: '13:00' };
    expect(q(lunch, '2026-07-01T10:30:00Z')).toBe('2026-07-01T11:00:00.000Z'); // 12:30 CEST
    expect(q(lunch, '2026-07-01T11:00:00Z')).toBeNull();
    expect(q(lunch, '2026-07-01T09:59:00Z')).toBeNull();
  });

  it('start === end means no quiet hours', () => {
    expect(q({ start: '07:00', end: '07:00' }, '2026-01-15T06:00:00Z')).toBeNull();
    expect(q({ start: '00:00', end: '00:00' }, '2026-01-15T12:00:00Z')).toBeNull();
  });

  it('an end time that repeats resolves to the next occurrence after `at`', () => {
    const short: QuietHours = { start: '22:00', end: '02:30' };
    expect(q(short, '2026-10-25T00:15:00Z')).toBe('2026-10-25T00:30:00.000Z'); // first 02:15 (CEST)
    expect(q(short, '2026-10-25T01:15:00Z')).toBe('2026-10-25T01:30:00.000Z'); // second 02:15 (CET)
  });

  it('an end time in the spring-forward gap is shifted forward like zonedTimeToUtc', () => {
    const short: QuietHours = { start: '22:00', end: '02:30' };
    expect(q(short, '2026-03-29T00:45:00Z')).toBe('2026-03-29T01:30:00.000Z'); // 01:45 CET → 03:30 CEST
  });

  it('works in other zones', () => {
    expect(q(night, '2026-07-02T03:00:00Z', 'America/New_York')).toBe('2026-07-02T11:00:00.000Z'); // 23:00 EDT
    expect(q(night, '2026-07-02T17:00:00Z', 'Asia/Kolkata')).toBe('2026-07-03T01:30:00.000Z'); // 22:30 IST
  });

  it('throws RangeError for an invalid clock time', () => {
    expect(() => quietUntil({ start: '22:00', end: '24:00' }, OSLO, at('2026-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('parseClock', () => {
  it.each([
    ['08:00', '08:00'],
    ['8', '08:00'],
    ['8.30', '08:30'],
    ['08:30', '08:30'],
    ['8:30', '08:30'],
    ['0', '00:00'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
    [' 7:05 ', '07:05'],
  ])('%j → %j', (input, expected) => {
    expect(parseClock(input)).toBe(expected);
  });

  it.each(['24:00', '24', '7:5', '12:60', '8:300', '123', '0800', '-1', '8,30', '08:00:00', '', ' ', 'abc', '8:'])(
    '%j is invalid',
    (input) => {
      expect(parseClock(input)).toBeNull();
    },
  );
});

describe('isValidTimeZone', () => {
  it.each(['Europe/Oslo', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'])('%s is valid', (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });

  it.each(['Mars/Olympus', 'Europe/Atlantis', '', 'Oslo'])('%j is invalid', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });
});
