/**
 * Time-zone and DST-safe timing for weekly digests and quiet hours.
 *
 * Everything goes through Intl.DateTimeFormat (the tz database ships with Node and Workers), so no
 * offset or DST rule is hard-coded. Wall-clock times that a DST change skips or repeats follow one
 * rule throughout (the same as Temporal's `disambiguation: 'compatible'`):
 * - a skipped time (spring-forward gap) is shifted forward by the length of the gap
 *   (02:30 on 2026-03-29 in Europe/Oslo → 03:30 CEST = 01:30Z);
 * - a repeated time (fall-back) means its first occurrence
 *   (02:30 on 2026-10-25 in Europe/Oslo → 02:30 CEST = 00:30Z).
 */
import type { DigestSchedule, QuietHours } from './types';

/** A wall-clock date and time; month 1–12. Out-of-range fields roll over as in `Date.UTC`. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall clock in a zone at some instant; weekday is ISO (1 = Monday … 7 = Sunday). */
export interface LocalParts extends WallTime {
  weekday: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone; throws RangeError for an unknown zone. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall clock at `t` (ms since the epoch, whole seconds), written as if it were UTC, in ms. */
function wallMs(t: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(t)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  // `% 24`: some engines print midnight as 24 even with h23.
  return Date.UTC(p.year ?? NaN, (p.month ?? NaN) - 1, p.day ?? NaN, (p.hour ?? NaN) % 24, p.minute ?? NaN, p.second ?? NaN);
}

/** The zone's offset from UTC at `t`, in ms (+3 600 000 for CET). */
function offsetMs(t: number, timeZone: string): number {
  const whole = Math.floor(t / 1000) * 1000;
  return wallMs(whole, timeZone) - whole;
}

/** ISO weekday of a civil date given as UTC ms. */
function isoWeekday(utcMs: number): number {
  return ((new Date(utcMs).getUTCDay() + 6) % 7) + 1;
}

/** The wall clock in `timeZone` at `at`, to the minute. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const t = at.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid Date');
  const d = new Date(wallMs(Math.floor(t / 1000) * 1000, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: isoWeekday(d.getTime()),
  };
}

/**
 * Every instant at which the wall clock in `timeZone` reads `wall` (wall time as UTC ms), earliest
 * first: one normally, two in a fall-back overlap, none in a spring-forward gap. `offsets` returns
 * the offsets tried, so the gap case can pick the one in force before the jump.
 */
function instantsOf(wall: number, timeZone: string): { instants: number[]; offsets: number[] } {
  // Offset iteration: guess the instant with the offset at `wall` read as UTC, re-read the offset
  // at the guess and adjust. The offsets a day either side add the other side of a DST change
  // near the target, so both occurrences of a repeated time are found.
  const o0 = offsetMs(wall, timeZone);
  const o1 = offsetMs(wall - o0, timeZone);
  const offsets = [...new Set([o0, o1, offsetMs(wall - DAY, timeZone), offsetMs(wall + DAY, timeZone)])];
  const instants = offsets
    .map((o) => wall - o)
    .filter((t) => wallMs(t, timeZone) === wall)
    .sort((a, b) => a - b);
  return { instants: [...new Set(instants)], offsets };
}

function wallOf(local: WallTime): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  if (Number.isNaN(wall)) throw new RangeError(`Invalid wall time ${JSON.stringify(local)}`);
  return wall;
}

/** Resolves a wall time to an instant: the first occurrence, or, in a gap, shifted forward by the gap. */
function resolveWall(wall: number, timeZone: string): number {
  const { instants, offsets } = instantsOf(wall, timeZone);
  if (instants[0] !== undefined) return instants[0];
  // In a gap the clock jumped forward, so the offset before the jump is the smaller one. Applying it
  // gives the instant as many minutes after the jump as the wall time is after the gap start.
  return wall - Math.min(...offsets);
}

/**
 * The instant at which the wall clock in `timeZone` reads `local`. A time skipped by a DST change is
 * shifted forward by the gap; a repeated one resolves to its first (earlier) occurrence.
 */
export function zonedTimeToUtc(local: WallTime, timeZone: string): Date {
  return new Date(resolveWall(wallOf(local), timeZone));
}

/** Minutes after midnight of a 'HH:MM' (or parseClock-accepted) time; throws RangeError otherwise. */
function clockMinutes(s: string, what: string): number {
  const clock = parseClock(s);
  if (clock === null) throw new RangeError(`Invalid ${what} ${JSON.stringify(s)}: expected HH:MM (00:00–23:59)`);
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
}

/** The schedule's instant on the local date `dayMs` (a civil date as UTC ms at midnight). */
function slotOn(dayMs: number, minutes: number, timeZone: string): number {
  return resolveWall(dayMs + minutes * MINUTE, timeZone);
}

/** Local midnight of `at`'s local date in the zone, as UTC ms of that civil date. */
function localDay(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day);
}

function checkedSchedule(schedule: DigestSchedule): number {
  const { weekday } = schedule;
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
    throw new RangeError(`Invalid digest weekday ${JSON.stringify(weekday)}: expected 1 (Monday) to 7 (Sunday)`);
  }
  return clockMinutes(schedule.time, 'digest time');
}

/**
 * The first instant strictly after `after` at which the local weekday and time in
 * `schedule.timeZone` are the schedule's (DST rules as in zonedTimeToUtc).
 */
export function nextDigestAt(schedule: DigestSchedule, after: Date): Date {
  const minutes = checkedSchedule(schedule);
  const today = localDay(after, schedule.timeZone);
  // From yesterday's date: a DST gap at local midnight can push yesterday's slot into today
  // (America/Nuuk skips Saturday 23:00–24:00).
  for (let d = -1; d <= 8; d++) {
    const day = today + d * DAY;
    if (isoWeekday(day) !== schedule.weekday) continue;
    const slot = slotOn(day, minutes, schedule.timeZone);
    if (slot > after.getTime()) return new Date(slot);
  }
  throw new Error('unreachable: a weekly slot always falls within 8 days');
}

/** The latest scheduled instant at or before `atOrBefore`. */
export function previousDigestAt(schedule: DigestSchedule, atOrBefore: Date): Date {
  const minutes = checkedSchedule(schedule);
  const today = localDay(atOrBefore, schedule.timeZone);
  // From tomorrow's date: a fall-back across local midnight shows tomorrow's first minutes before
  // today's last hour repeats (St. John's, November 2010).
  for (let d = 1; d >= -8; d--) {
    const day = today + d * DAY;
    if (isoWeekday(day) !== schedule.weekday) continue;
    const slot = slotOn(day, minutes, schedule.timeZone);
    if (slot <= atOrBefore.getTime()) return new Date(slot);
  }
  throw new Error('unreachable: a weekly slot always falls within 8 days');
}

/**
 * Whether a digest is due at `now`: the latest slot at or before `now` is after the last send (or,
 * never sent, after the subscription was created). A subscription created mid-week waits for the
 * next slot; slots missed while the service was down give one digest, not one per slot.
 */
export function isDigestDue(schedule: DigestSchedule, lastSentAt: Date | null, createdAt: Date, now: Date): boolean {
  return previousDigestAt(schedule, now).getTime() > (lastSentAt ?? createdAt).getTime();
}

/** The dedupe key of the digest due at `now`: the ISO string of its slot. */
export function digestSlot(schedule: DigestSchedule, now: Date): string {
  return previousDigestAt(schedule, now).toISOString();
}

/**
 * If the local time at `at` is inside the quiet window [start, end) — which may cross midnight;
 * start === end means no quiet hours — the instant the window ends; otherwise null.
 * The end is local `end` on the right date via zonedTimeToUtc's rules; if that time repeats and
 * `at` is already past its first occurrence, the second one.
 */
export function quietUntil(quiet: QuietHours, timeZone: string, at: Date): Date | null {
  const start = clockMinutes(quiet.start, 'quiet hours start');
  const end = clockMinutes(quiet.end, 'quiet hours end');
  if (start === end) return null;
  const p = localParts(at, timeZone);
  const now = p.hour * 60 + p.minute;
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  // A window crossing midnight that was entered before midnight ends tomorrow.
  const day = Date.UTC(p.year, p.month - 1, p.day) + (start > end && now >= start ? DAY : 0);
  const wall = day + end * MINUTE;
  const later = instantsOf(wall, timeZone).instants.find((t) => t > at.getTime());
  return new Date(later ?? resolveWall(wall, timeZone));
}

/**
 * Normalizes a clock time typed by a user: '08:00', '8', '8.30', '08:30' → 'HH:MM'. Minutes need
 * two digits ('7:5' is refused); 00:00–23:59 only ('24:00' is refused). Null when invalid.
 */
export function parseClock(input: string): string | null {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(input.trim());
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** Whether Intl knows the IANA zone (it throws RangeError for unknown ones). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz === '') return false;
  try {
    // Not cached: user input must not grow the formatter cache.
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
