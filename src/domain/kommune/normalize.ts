/**
 * Name normalisation for matching what people type in chat against kommune and county names.
 * Users type without Norwegian or Sami letters ("Bodo", "Porsangu"), so every name and every
 * input is reduced to plain lower-case ASCII-ish letters before comparison.
 */

// Letters that NFKD does not decompose into a base letter plus combining marks, so stripping
// marks alone would leave them as they are.
const LETTER_FOLDS: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ŋ: 'n',
  đ: 'd',
  ð: 'd',
  ŧ: 't',
  ʒ: 'z',
  ǥ: 'g',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};
const FOLD_PATTERN = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');

/**
 * Lower-cases, folds diacritics and Norwegian/Sami letters to their base letters, and turns
 * every run of non-letters (spaces, hyphens, dashes, parentheses, commas, periods) into one
 * space. Punctuation counts as a separator so that "Herøy (Nordland)", "Herøy, Nordland" and
 * "herøy nordland" compare equal, and "Nord-Odal" equals "Nord Odal".
 */
export function normalizeName(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(FOLD_PATTERN, (c) => LETTER_FOLDS[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const PERIOD_QUALIFIER = /\s*\(\s*(?:\d{4}\s*[-–—]\s*(?:\d{4})?|[-–—]\s*\d{4})\s*\)\s*$/u;

/**
 * Removes a trailing validity period such as " (2020-2023)", " (-2019)" or " (1924-2017)"
 * from a historical name, keeping other qualifiers: "Våler (Hedmark) (-2019)" → "Våler (Hedmark)".
 */
export function stripPeriodQualifier(s: string): string {
  return s.replace(PERIOD_QUALIFIER, '').trim();
}

/** Removes a trailing parenthesised qualifier of any kind: "Herøy (Nordland)" → "Herøy". */
export function stripParenQualifier(s: string): string {
  return s.replace(/\s*\([^()]*\)\s*$/u, '').trim();
}
