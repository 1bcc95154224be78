import type { Lang } from './localized';

const cache = new Map<string, Intl.NumberFormat>();

/** Formats a number for users: "1 234,5" in bokmål, "1,234.5" in English. */
export function fmt(value: number, lang: Lang, decimals = 0, signed = false): string {
  const key = `${lang}|${decimals}|${signed}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    cache.set(key, f);
  }
  return f.format(value);
}

/** Points as users read them: whole numbers without decimals, others with one ("79,7", "20"). */
export function fmtPoints(value: number, lang: Lang): string {
  const r = Math.round(value * 10) / 10;
  return fmt(r, lang, Number.isInteger(r) ? 0 : 1);
}

export function fmtPct(value: number, lang: Lang, decimals = 1, signed = false): string {
  return `${fmt(value, lang, decimals, signed)} %`;
}

export function fmtKr(value: number, lang: Lang): string {
  return lang === 'nb' ? `${fmt(value, lang)} kr` : `NOK ${fmt(value, lang)}`;
}
