// Matrikkelnummer parsing and formatting. The written form is
// "kommunenummer-gardsnummer/bruksnummer[/festenummer[/seksjonsnummer]]", e.g. "0301-215/42" or
// "1804-66/1/0/5"; inside one kommune people write "215/42".
import type { Matrikkelnummer } from './types';

const MAX_PART = 99_999;

/** Left-pads a kommunenummer that lost its leading zero in a spreadsheet ("301" → "0301"). */
function normaliseKommune(knr: string): string | null {
  const t = knr.trim();
  if (!/^\d{3,4}$/.test(t)) return null;
  const code = t.padStart(4, '0');
  return code === '0000' ? null : code;
}

export type MatrikkelParse = { ok: true; value: Matrikkelnummer } | { ok: false; message: string };

/**
 * Reads "knr-gnr/bnr[/fnr[/snr]]" (spaces around the separators allowed, "knr gnr/bnr" too) or,
 * with `defaultKommune`, "gnr/bnr[/fnr[/snr]]". A three-digit kommunenummer is taken as one whose
 * leading zero a spreadsheet dropped. gardsnummer ≥ 1; the other parts ≥ 0; each at most 5 digits.
 */
export function parseMatrikkelnummer(text: string, opts: { defaultKommune?: string } = {}): MatrikkelParse {
  const t = text.trim();
  const m = /^(?:(\d{1,4})\s*(?:-|\s)\s*)?(\d{1,6})\s*\/\s*(\d{1,6})(?:\s*\/\s*(\d{1,6}))?(?:\s*\/\s*(\d{1,6}))?$/.exec(t);
  if (!m) return { ok: false, message: `not a matrikkelnummer: "${text}" (expected knr-gnr/bnr[/fnr[/snr]])` };
  const knrText = m[1] ?? opts.defaultKommune;
  if (knrText === undefined) return { ok: false, message: `"${text}" has no kommunenummer and none is configured` };
  const kommunenummer = normaliseKommune(knrText);
  if (!kommunenummer) return { ok: false, message: `"${text}": kommunenummer "${knrText}" is not 3–4 digits` };
  const [gardsnummer, bruksnummer, festenummer, seksjonsnummer] = [m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [number, number, number, number];
  if (gardsnummer < 1) return { ok: false, message: `"${text}": gardsnummer must be at least 1` };
  if ([gardsnummer, bruksnummer, festenummer, seksjonsnummer].some((n) => n > MAX_PART)) {
    return { ok: false, message: `"${text}": a part is larger than ${MAX_PART}` };
  }
  return { ok: true, value: { kommunenummer, gardsnummer, bruksnummer, festenummer, seksjonsnummer } };
}

/** Builds a matrikkelnummer from separate parts (numbers or numeric strings); null parts → 0. */
export function matrikkelFromParts(parts: {
  kommunenummer: unknown;
  gardsnummer: unknown;
  bruksnummer: unknown;
  festenummer?: unknown;
  seksjonsnummer?: unknown;
}): MatrikkelParse {
  const knr = typeof parts.kommunenummer === 'number' ? String(parts.kommunenummer) : parts.kommunenummer;
  const num = (v: unknown): string | null =>
    v === undefined || v === null || v === '' ? '0' : typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : typeof v === 'string' && /^\d{1,6}$/.test(v.trim()) ? v.trim() : null;
  const [g, b, f, s] = [num(parts.gardsnummer), num(parts.bruksnummer), num(parts.festenummer), num(parts.seksjonsnummer)];
  if (typeof knr !== 'string' || g === null || b === null || f === null || s === null) {
    return { ok: false, message: `matrikkel parts are not numbers: ${JSON.stringify(parts)}` };
  }
  return parseMatrikkelnummer(`${knr}-${g}/${b}/${f}/${s}`);
}

/** "0301-215/42"; festenummer and seksjonsnummer are written only when needed. */
export function formatMatrikkelnummer(m: Matrikkelnummer): string {
  let s = `${m.kommunenummer}-${m.gardsnummer}/${m.bruksnummer}`;
  if (m.festenummer !== 0 || m.seksjonsnummer !== 0) s += `/${m.festenummer}`;
  if (m.seksjonsnummer !== 0) s += `/${m.seksjonsnummer}`;
  return s;
}
