import type { Lang } from '../domain/localized';

/** The command grammar shared by Slack, Teams and the CLI. */
export type Command =
  | { name: 'kommune'; lang: Lang | null; query: string; model: string | null }
  | { name: 'topp'; lang: Lang | null; limit: number; county: string | null; model: string | null }
  | { name: 'tier'; lang: Lang | null; tier: 1 | 2 | 3; county: string | null; model: string | null }
  | { name: 'sammenlign'; lang: Lang | null; queries: string[]; raw: string; model: string | null }
  | { name: 'hvorfor'; lang: Lang | null; query: string; model: string | null }
  | { name: 'modeller'; lang: Lang | null }
  | { name: 'kilder'; lang: Lang | null }
  | { name: 'status'; lang: Lang | null }
  | { name: 'hjelp'; lang: Lang | null; topic: string | null }
  | { name: 'invalid'; lang: Lang | null; problem: InvalidReason; input: string };

export type InvalidReason =
  | { k: 'missing-kommune'; command: string }
  | { k: 'bad-number'; command: string; value: string }
  | { k: 'bad-tier'; value: string }
  | { k: 'too-few-to-compare' }
  | { k: 'too-many-to-compare'; max: number }
  | { k: 'unknown-option'; command: string; value: string }
  | { k: 'missing-model'; command: string };

export const MAX_INPUT_LENGTH = 500;
export const MAX_COMPARE = 8;
export const MAX_LIMIT = 357;

/** Invisible characters inside words are dropped, control characters become spaces, whitespace collapses. */
export function cleanInput(text: string): string {
  const cleaned = capLength(text, MAX_INPUT_LENGTH * 2)
    .normalize('NFC')
    .replace(/[\u00ad\u200b-\u200d\u2060-\u2064\ufeff]/g, '')
    // eslint-disable-next-line no-control-regex -- control characters and separators become spaces
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u206f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return capLength(cleaned, MAX_INPUT_LENGTH);
}

/** Cuts to at most `max` UTF-16 units without leaving half of a surrogate pair (an emoji) behind. */
function capLength(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = /[\ud800-\udbff]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return text.slice(0, cut).trimEnd();
}

/**
 * Takes "modell <id>" (or "model <id>") out of the arguments wherever it stands, so it combines
 * with the other options ("topp 10 fylke Nordland modell seed-2026"). The id is checked by the
 * handler against the models the service scores.
 */
export function modelOption(tokens: string[]): { rest: string[]; model: string | null; missing: boolean } {
  const i = tokens.findIndex((t) => ['modell', 'model'].includes(t.toLowerCase()));
  if (i < 0) return { rest: tokens, model: null, missing: false };
  const id = tokens[i + 1];
  if (id === undefined) return { rest: tokens.slice(0, i), model: null, missing: true };
  return { rest: [...tokens.slice(0, i), ...tokens.slice(i + 2)], model: id.toLowerCase(), missing: false };
}

function countyOption(tokens: string[]): { rest: string[]; county: string | null } {
  const i = tokens.findIndex((t) => ['fylke', 'county', 'i'].includes(t.toLowerCase()));
  if (i < 0) return { rest: tokens, county: null };
  const county = tokens.slice(i + 1).join(' ').trim();
  return { rest: tokens.slice(0, i), county: county === '' ? null : county };
}

/** A lookup of the kommune named by `query`. */
export function kommuneCommand(query: string): Command {
  return { name: 'kommune', lang: null, query, model: null };
}

/** The names of the lookup commands (the ones the grammar below parses). */
export type LookupName = Exclude<Command['name'], 'invalid'>;

/**
 * Parses the arguments of one lookup command. The command table (./commands.ts) has already
 * matched `head` (the word the user typed) to `name` and its language.
 */
export function parseLookup(name: LookupName, head: string, lang: Lang | null, args: string[], text: string): Command {
  const argText = args.join(' ');
  const kw = { name };
  const withModel = ['kommune', 'hvorfor', 'topp', 'tier', 'sammenlign'].includes(kw.name);
  const mo = withModel ? modelOption(args) : { rest: args, model: null, missing: false };
  if (mo.missing) return { name: 'invalid', lang, problem: { k: 'missing-model', command: head }, input: text };
  const model = mo.model;
  const margs = mo.rest;
  const margText = margs.join(' ');
  switch (kw.name) {
    case 'kommune':
    case 'hvorfor':
      if (margText === '') return { name: 'invalid', lang, problem: { k: 'missing-kommune', command: head }, input: text };
      return { name: kw.name, lang, query: margText, model };
    case 'topp': {
      const { rest, county } = countyOption(margs);
      let limit = 10;
      if (rest.length > 0) {
        const n = rest[0]!;
        if (!/^\d{1,4}$/.test(n) || Number(n) < 1) return { name: 'invalid', lang, problem: { k: 'bad-number', command: head, value: n }, input: text };
        limit = Math.min(Number(n), MAX_LIMIT);
        if (rest.length > 1) return { name: 'invalid', lang, problem: { k: 'unknown-option', command: head, value: rest.slice(1).join(' ') }, input: text };
      }
      return { name: 'topp', lang, limit, county, model };
    }
    case 'tier': {
      const { rest, county } = countyOption(margs);
      const t = rest[0] ?? '';
      if (!/^[123]$/.test(t)) return { name: 'invalid', lang, problem: { k: 'bad-tier', value: t }, input: text };
      if (rest.length > 1) return { name: 'invalid', lang, problem: { k: 'unknown-option', command: head, value: rest.slice(1).join(' ') }, input: text };
      return { name: 'tier', lang, tier: Number(t) as 1 | 2 | 3, county, model };
    }
    case 'sammenlign': {
      // Explicit separators win; otherwise the handler splits the words against the registry.
      const parts = /[,;]|\s(?:mot|vs\.?|versus)\s/i.test(margText)
        ? margText.split(/\s*[,;]\s*|\s+(?:mot|vs\.?|versus)\s+/i).map((s) => s.trim()).filter(Boolean)
        : [];
      if (margText === '') return { name: 'invalid', lang, problem: { k: 'too-few-to-compare' }, input: text };
      if (parts.length > MAX_COMPARE) return { name: 'invalid', lang, problem: { k: 'too-many-to-compare', max: MAX_COMPARE }, input: text };
      return { name: 'sammenlign', lang, queries: parts, raw: margText, model };
    }
    case 'modeller':
      return { name: 'modeller', lang };
    case 'kilder':
      return { name: 'kilder', lang };
    case 'status':
      return { name: 'status', lang };
    case 'hjelp':
      return { name: 'hjelp', lang, topic: argText === '' ? null : argText.toLowerCase() };
  }
}
