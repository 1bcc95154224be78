/** User-facing languages: bokmål is the default, English on request. */
export type Lang = 'nb' | 'en';
export const LANGS: readonly Lang[] = ['nb', 'en'];

/** A user-facing text in every supported language. */
export type Localized = Record<Lang, string>;

export function loc(nb: string, en: string): Localized {
  return { nb, en };
}
