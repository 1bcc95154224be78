/**
 * In-memory registry of the 2024 kommuner with lookup by code, name (Norwegian, Sami, Kven,
 * county-qualified), pre-2024 code and pre-2024 name, plus fuzzy suggestions for typos.
 */
import { normalizeName, stripParenQualifier, stripPeriodQualifier } from './normalize';
import type { CodeChange, Kommune } from './types';

export type NameMatchKind = 'name' | 'sami-name' | 'kven-name';

export type Resolution =
  | {
      kind: 'found';
      kommune: Kommune;
      matchedBy: 'code' | NameMatchKind | 'old-code' | 'old-name';
      /** The code or the name variant (as written in the source) that the input matched. */
      matchedText: string;
      /** For old codes and names: the pre-2024 kommune, its name without the period. */
      previous?: { code: string; name: string };
    }
  | { kind: 'ambiguous'; input: string; candidates: Kommune[]; reason: 'same-name' | 'split' }
  | { kind: 'not-found'; input: string; suggestions: Kommune[] };

export interface County {
  code: string;
  /** Norwegian name: "Troms". */
  name: string;
  /** Official name with parallel names: "Troms - Romsa - Tromssa". */
  nameOfficial: string;
}

export interface KommuneRegistry {
  /** All kommuner sorted by code. */
  all(): readonly Kommune[];
  byCode(code: string): Kommune | undefined;
  /** The counties of the 2024 division, sorted by code. */
  counties(): readonly County[];
  resolveCounty(input: string): { code: string; name: string } | undefined;
  resolve(input: string): Resolution;
}

const MAX_SUGGESTIONS = 5;

interface NameEntry {
  kommune: Kommune;
  matchedBy: NameMatchKind;
  text: string;
}

interface OldNameEntry {
  change: CodeChange;
  /** The old name without its period: "Søgne". */
  text: string;
  targets: string[];
}

interface QualifierSplit {
  base: string;
  qualifier: string;
  countyCode: string | null;
}

interface SuggestionKey {
  key: string;
  kommune: Kommune;
  current: boolean;
}

export function createKommuneRegistry(kommuner: Kommune[], changes: CodeChange[]): KommuneRegistry {
  const sorted = Object.freeze([...kommuner].sort((a, b) => a.code.localeCompare(b.code)));
  const byCode = new Map(sorted.map((k) => [k.code, k]));

  const counties = buildCounties(sorted);
  const countyByCode = new Map(counties.map((c) => [c.code, c]));
  const countyIndex = new Map<string, County>();
  for (const c of counties) {
    for (const variant of [c.name, c.nameOfficial, ...c.nameOfficial.split(' - ')]) {
      const key = normalizeName(variant);
      if (key && !countyIndex.has(key)) countyIndex.set(key, c);
    }
  }

  const nameIndex = buildNameIndex(sorted);
  const { oldCodeIndex, oldNameIndex, unmappableNames, oldQualifiers } = buildChangeIndexes(changes, byCode);

  // Trailing words that may qualify a kommune name: 2024 county names (which narrow the match to
  // that county) and the older county names used in historical names ("Våler (Hedmark)").
  const qualifiers = new Map<string, string | null>();
  for (const [key, county] of countyIndex) qualifiers.set(key, county.code);
  for (const q of oldQualifiers) if (!qualifiers.has(q)) qualifiers.set(q, countyIndex.get(q)?.code ?? null);

  const suggestionKeys = buildSuggestionKeys(nameIndex, oldNameIndex, byCode);

  function resolveCode(digits: string, input: string): Resolution {
    if (digits.length !== 3 && digits.length !== 4) return notFound(input, []);
    const code = digits.padStart(4, '0');
    const kommune = byCode.get(code);
    if (kommune) return { kind: 'found', kommune, matchedBy: 'code', matchedText: code };
    const old = oldCodeIndex.get(code);
    if (!old || old.targets.length === 0) return notFound(input, []);
    if (old.change.status === 'delt' || old.targets.length > 1) {
      return { kind: 'ambiguous', input, candidates: kommunerOf(old.targets, byCode), reason: 'split' };
    }
    return {
      kind: 'found',
      kommune: byCode.get(old.targets[0]!)!,
      matchedBy: 'old-code',
      matchedText: old.change.oldCode,
      previous: { code: old.change.oldCode, name: old.text },
    };
  }

  function qualifierSplits(n: string): QualifierSplit[] {
    const splits: QualifierSplit[] = [];
    for (const [qualifier, countyCode] of qualifiers) {
      if (n.length <= qualifier.length + 1 || !n.endsWith(` ${qualifier}`)) continue;
      // "Våler i Østfold": the preposition belongs to the qualifier, not to the name.
      const base = n.slice(0, -(qualifier.length + 1)).replace(/ i$/u, '').trim();
      if (base) splits.push({ base, qualifier, countyCode });
    }
    return splits;
  }

  function resolve(input: string): Resolution {
    const raw = input.trim();
    if (raw === '') return notFound(input, []);
    if (/^\d+$/u.test(raw)) return resolveCode(raw, input);

    const n = normalizeName(raw).replace(/ (?:kommune|kommun|municipality)$/u, '');
    if (n === '') return notFound(input, []);

    const exact = nameIndex.get(n);
    if (exact) return fromNameEntries(exact, input);

    const splits = qualifierSplits(n);
    for (const s of splits) {
      if (s.countyCode === null) continue;
      const inCounty = nameIndex.get(s.base)?.filter((e) => e.kommune.countyCode === s.countyCode);
      if (inCounty && inCounty.length > 0) return fromNameEntries(inCounty, input);
    }

    const old =
      oldNameIndex.get(n) ??
      firstDefined(splits.map((s) => oldNameIndex.get(`${s.base} ${s.qualifier}`)));
    if (old) return fromOldNameEntries(old, input, byCode);

    // Split kommuner, Svalbard and the shelf have no 2024 kommune; a near-miss suggestion
    // would point the user at the wrong place.
    if (unmappableNames.has(n)) return notFound(input, []);

    return notFound(input, suggest(n, suggestionKeys));
  }

  return {
    all: () => sorted,
    byCode: (code) => byCode.get(code),
    counties: () => counties,
    resolveCounty(input) {
      const raw = input.trim();
      if (/^\d{1,2}$/u.test(raw)) {
        const c = countyByCode.get(raw.padStart(2, '0'));
        return c && { code: c.code, name: c.name };
      }
      const n = normalizeName(raw).replace(/ (?:fylke|fylkeskommune|county)$/u, '');
      const c = countyIndex.get(n);
      return c && { code: c.code, name: c.name };
    },
    resolve,
  };
}

function buildCounties(kommuner: readonly Kommune[]): readonly County[] {
  const byCode = new Map<string, County>();
  for (const k of kommuner) {
    if (!byCode.has(k.countyCode)) {
      byCode.set(k.countyCode, {
        code: k.countyCode,
        name: k.countyName,
        nameOfficial: k.countyNameOfficial,
      });
    }
  }
  return Object.freeze([...byCode.values()].sort((a, b) => a.code.localeCompare(b.code)));
}

function buildNameIndex(kommuner: readonly Kommune[]): Map<string, NameEntry[]> {
  const index = new Map<string, NameEntry[]>();
  const add = (text: string, kommune: Kommune, matchedBy: NameMatchKind): void => {
    const key = normalizeName(text);
    if (!key) return;
    const list = index.get(key);
    // The first variant registered for a kommune wins, so a name that is both a KLASS part and
    // the Kartverket Sami name reports the more specific kind.
    if (!list) index.set(key, [{ kommune, matchedBy, text }]);
    else if (!list.some((e) => e.kommune.code === kommune.code)) list.push({ kommune, matchedBy, text });
  };

  for (const k of kommuner) {
    add(k.nameNorwegian, k, 'name');
    add(stripParenQualifier(k.nameNorwegian), k, 'name');
    if (k.nameSami) add(k.nameSami, k, 'sami-name');
    if (k.nameKven) add(k.nameKven, k, 'kven-name');

    const samiKey = k.nameSami ? normalizeName(k.nameSami) : null;
    const kvenKey = k.nameKven ? normalizeName(k.nameKven) : null;
    const parts = k.name.split(' - ').map((p) => p.trim());
    for (const part of parts) {
      const key = normalizeName(part);
      add(part, k, key === samiKey ? 'sami-name' : key === kvenKey ? 'kven-name' : 'name');
    }
    // Kartverket orders parallel names differently from KLASS ("Rosse - Røros" vs
    // "Røros - Rosse"), and Kommune keeps only the KLASS form, so any order is accepted.
    for (const perm of permutations(parts)) add(perm.join(' - '), k, 'name');
  }
  return index;
}

function buildChangeIndexes(changes: CodeChange[], byCode: Map<string, Kommune>) {
  const oldCodeIndex = new Map<string, OldNameEntry>();
  const oldNameIndex = new Map<string, OldNameEntry[]>();
  const unmappableNames = new Set<string>();
  const oldQualifiers = new Set<string>();

  for (const change of changes) {
    if (change.status === 'samme_kode') continue;
    const text = stripPeriodQualifier(change.oldName);
    const entry: OldNameEntry = { change, text, targets: targetsOf(change, byCode) };

    if (!oldCodeIndex.has(change.oldCode)) oldCodeIndex.set(change.oldCode, entry);

    const qualifier = /\(([^()]+)\)$/u.exec(text)?.[1];
    if (qualifier) oldQualifiers.add(normalizeName(qualifier));

    const keys = new Set([text, ...text.split(' - ')].map((v) => normalizeName(v)).filter(Boolean));
    for (const key of keys) {
      if (entry.targets.length === 0) {
        unmappableNames.add(key);
        continue;
      }
      const list = oldNameIndex.get(key);
      if (list) list.push(entry);
      else oldNameIndex.set(key, [entry]);
    }
  }
  return { oldCodeIndex, oldNameIndex, unmappableNames, oldQualifiers };
}

/**
 * 2024 codes an old code maps to. The `delt` row's own target is only where the source put all
 * of it (1507 → 1508), so the real parts are read from its note ("delt i 1508 Ålesund og 1580 Haram").
 */
function targetsOf(change: CodeChange, byCode: Map<string, Kommune>): string[] {
  if (change.status === 'delt') {
    const fromNote = [...(change.note ?? '').matchAll(/\b\d{4}\b/gu)]
      .map((m) => m[0])
      .filter((c) => c !== change.oldCode && byCode.has(c));
    const codes = [...new Set(fromNote)].sort();
    if (codes.length > 0) return codes;
  }
  return change.newCode && byCode.has(change.newCode) ? [change.newCode] : [];
}

function buildSuggestionKeys(
  nameIndex: Map<string, NameEntry[]>,
  oldNameIndex: Map<string, OldNameEntry[]>,
  byCode: Map<string, Kommune>,
): SuggestionKey[] {
  const keys: SuggestionKey[] = [];
  for (const [key, entries] of nameIndex) {
    for (const e of entries) keys.push({ key, kommune: e.kommune, current: true });
  }
  for (const [key, entries] of oldNameIndex) {
    const targets = new Set(entries.flatMap((e) => e.targets));
    for (const code of targets) keys.push({ key, kommune: byCode.get(code)!, current: false });
  }
  return keys;
}

function fromNameEntries(entries: NameEntry[], input: string): Resolution {
  const first = entries[0]!;
  if (entries.length === 1) {
    return { kind: 'found', kommune: first.kommune, matchedBy: first.matchedBy, matchedText: first.text };
  }
  const candidates = entries.map((e) => e.kommune).sort((a, b) => a.code.localeCompare(b.code));
  return { kind: 'ambiguous', input, candidates, reason: 'same-name' };
}

function fromOldNameEntries(
  entries: OldNameEntry[],
  input: string,
  byCode: Map<string, Kommune>,
): Resolution {
  const targets = [...new Set(entries.flatMap((e) => e.targets))].sort();
  if (targets.length > 1) {
    const reason = entries.some((e) => e.change.status === 'delt') ? 'split' : 'same-name';
    return { kind: 'ambiguous', input, candidates: kommunerOf(targets, byCode), reason };
  }
  // Several periods of the same old kommune may match; name the latest one as "previous".
  const latest = [...entries].sort((a, b) => periodEnd(b.change.oldName) - periodEnd(a.change.oldName))[0]!;
  return {
    kind: 'found',
    kommune: byCode.get(targets[0]!)!,
    matchedBy: 'old-name',
    matchedText: latest.text,
    previous: { code: latest.change.oldCode, name: latest.text },
  };
}

function periodEnd(name: string): number {
  const m = /\((?:\d{4})?\s*[-–—]\s*(\d{4})\)\s*$/u.exec(name);
  return m ? Number(m[1]) : 0;
}

function kommunerOf(codes: string[], byCode: Map<string, Kommune>): Kommune[] {
  return codes.map((c) => byCode.get(c)).filter((k): k is Kommune => k !== undefined);
}

function notFound(input: string, suggestions: Kommune[]): Resolution {
  return { kind: 'not-found', input, suggestions };
}

function firstDefined<T>(values: (T | undefined)[]): T | undefined {
  return values.find((v) => v !== undefined);
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/**
 * Ranks name variants against a normalised input. Tiers, best first: the input starts the name
 * ("kristians" → Kristiansand), the input starts a later word of the name ("odal" → Nord-Odal),
 * then typos within an edit-distance budget that grows with the input's length.
 */
function suggest(n: string, keys: SuggestionKey[]): Kommune[] {
  const maxDistance = Math.max(2, Math.floor(n.length * 0.4));
  const best = new Map<string, { kommune: Kommune; score: number; current: boolean; key: string }>();

  for (const { key, kommune, current } of keys) {
    let score: number | undefined;
    if (key.startsWith(n)) score = (key.length - n.length) / 1000;
    else if (n.length >= 3 && key.split(' ').some((w) => w.startsWith(n))) {
      score = 1 + (key.length - n.length) / 1000;
    }
    else if (Math.abs(key.length - n.length) <= maxDistance) {
      const d = osaDistance(n, key, maxDistance);
      if (d <= maxDistance) score = 2 + d;
    }
    if (score === undefined) continue;
    // A pre-2024 name ("Norddal" → Fjord) should not outrank a current name of equal merit,
    // but an old name typed almost right still beats a current name that needs more edits.
    if (!current) score += 0.5;
    const prev = best.get(kommune.code);
    if (!prev || compareCandidates({ score, current, key }, prev) < 0) {
      best.set(kommune.code, { kommune, score, current, key });
    }
  }

  return [...best.values()]
    .sort((a, b) => compareCandidates(a, b) || a.kommune.code.localeCompare(b.kommune.code))
    .slice(0, MAX_SUGGESTIONS)
    .map((c) => c.kommune);
}

function compareCandidates(
  a: { score: number; current: boolean; key: string },
  b: { score: number; current: boolean; key: string },
): number {
  // Alphabetical order is the last resort so equal scores rank the same on every run.
  if (a.score !== b.score) return a.score - b.score;
  if (a.current !== b.current) return a.current ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/**
 * Optimal string alignment distance (Damerau–Levenshtein without repeated edits of a substring):
 * a swapped pair of letters ("Trondhiem") costs one edit. Returns max + 1 once every alignment
 * has exceeded max, since the exact value no longer matters then.
 */
export function osaDistance(a: string, b: string, max = Infinity): number {
  const m = a.length;
  const n = b.length;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, prevPrev[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[n]!;
}
