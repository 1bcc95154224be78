// Norwegian wall-clock time. Intl carries the tz database on Node and Workers, so DST is never
// computed by hand here.

export interface OsloClock {
  hour: number;
  minute: number;
  /** The Oslo calendar date, YYYY-MM-DD. */
  isoDate: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** A daily window in Oslo time, 'HH:MM' each; `to` is exclusive. If `from` > `to` it wraps midnight. */
export interface ClockWindow {
  from: string;
  to: string;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let formatter: Intl.DateTimeFormat | undefined;

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

function wallParts(date: Date): WallParts {
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid Date');
  formatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Oslo',
    hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
    weekday: 'short',
  });
  const p: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 0,
  };
}

/** The wall clock in Oslo at `date`. */
export function osloClock(date: Date): OsloClock {
  const w = wallParts(date);
  const isoDate = `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  return { hour: w.hour, minute: w.minute, isoDate, weekday: w.weekday };
}

/** Parses 'HH:MM' (00:00–23:59) to minutes after midnight. */
export function parseClockTime(s: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  if (!m) throw new RangeError(`Expected a time as HH:MM (00:00–23:59), got ${JSON.stringify(s)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Throws unless both ends of the window are valid 'HH:MM' times. */
export function assertClockWindow(window: ClockWindow): void {
  parseClockTime(window.from);
  parseClockTime(window.to);
}

/** Oslo wall time at `date` written as if it were UTC, in ms. */
function wallAsUtc(date: Date): number {
  const w = wallParts(date);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) + date.getUTCMilliseconds();
}

/** The offset of Oslo from UTC at `t` (ms since the epoch), in ms. */
function offsetAt(t: number): number {
  return wallAsUtc(new Date(t)) - t;
}

/** The first instant after `after` at which Oslo's wall clock reads `wall` (wall time as UTC ms) or later. */
function instantOfWall(wall: number, after: number): number {
  // Oslo has two offsets; try both. A wall time in the spring gap has neither, so the answer is
  // the moment the clock jumps past it.
  const candidates = [wall - offsetAt(wall - DAY), wall - offsetAt(wall + DAY)]
    .filter((t) => offsetAt(t) === wall - t && t > after)
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  let lo = Math.min(wall - offsetAt(wall - DAY), wall - offsetAt(wall + DAY));
  let hi = Math.max(wall - offsetAt(wall - DAY), wall - offsetAt(wall + DAY));
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallAsUtc(new Date(mid)) >= wall) hi = mid;
    else lo = mid;
  }
  return Math.max(hi, after + 1);
}

/**
 * 0 when `now` is outside the Oslo-time window; otherwise the ms until the window's `to` in Oslo
 * time (the real elapsed time, so a DST switch inside the window is counted correctly).
 */
export function msUntilOutsideWindow(now: Date, window: ClockWindow): number {
  const from = parseClockTime(window.from) * MINUTE;
  const to = parseClockTime(window.to) * MINUTE;
  if (from === to) return 0;
  const wallNow = wallAsUtc(now);
  const dayStart = Math.floor(wallNow / DAY) * DAY;
  const ofDay = wallNow - dayStart;
  const inside = from < to ? ofDay >= from && ofDay < to : ofDay >= from || ofDay < to;
  if (!inside) return 0;
  // A wrapping window entered before midnight ends tomorrow.
  const endWall = dayStart + to + (from > to && ofDay >= from ? DAY : 0);
  return instantOfWall(endWall, now.getTime()) - now.getTime();
}
