import type { Kommune } from '../domain/kommune/types';
import type { KommuneRegistry } from '../domain/kommune/registry';
import type { Lang } from '../domain/localized';
import type { ReadModel } from '../services/read-model';
import { kommuneCard } from './commands';
import { errorReply } from './handlers';
import { kommuneNrOfLink } from './links';
import type { Reply } from './reply';

/** The longest kommune name in words ("Porsanger - Porsáŋgu - Porsanki" is matched by its parts). */
const MAX_WORDS = 3;
/** Words looked at in one message. */
const MAX_TOKENS = 2000;
/** Buttons for the other kommuner (the card keeps its own). */
const MAX_BUTTONS = 4;
const MAX_LISTED = 20;

/**
 * The kommuner a message mentions, in the order it mentions them: names and numbers resolved by
 * the registry exactly as chat commands resolve them (names in any of their languages, pre-2024
 * names), and links to tomte's own kommune pages. A name counts only when it is written with a
 * capital letter (a proper noun: "Vik", not "vik"); a number only when it is a current kommune
 * number (a year such as 2024 is no old code here). A name shared by two kommuner gives both.
 */
export function kommunerMentioned(registry: KommuneRegistry, text: string, publicUrl?: string | null): Kommune[] {
  const hits: { at: number; kommune: Kommune }[] = [];
  const rest = text.replace(/https?:\/\/[^\s<>|]+/g, (url, at: number) => {
    const nr = kommuneNrOfLink(url.replace(/[.,;:!?)]+$/, ''), publicUrl);
    const k = nr ? registry.byCode(nr) : undefined;
    if (k) hits.push({ at, kommune: k });
    return ' '.repeat(url.length);
  });
  const tokens = [...rest.matchAll(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu)].slice(0, MAX_TOKENS);
  for (let i = 0; i < tokens.length; ) {
    const first = tokens[i]![0];
    let taken = 0;
    if (/^\d+$/.test(first)) {
      if (first.length === 4) {
        const r = registry.resolve(first);
        if (r.kind === 'found' && r.matchedBy === 'code') hits.push({ at: tokens[i]!.index, kommune: r.kommune });
      }
    } else if (/^\p{Lu}/u.test(first)) {
      for (let n = Math.min(MAX_WORDS, tokens.length - i); n >= 1 && taken === 0; n--) {
        const words = tokens.slice(i, i + n);
        // Only words separated by blanks make one name ("Indre Østfold", not "Indre. Østfold").
        if (words.some((w, j) => j > 0 && !/^\s+$/.test(rest.slice(words[j - 1]!.index + words[j - 1]![0].length, w.index)))) continue;
        const r = registry.resolve(words.map((w) => w[0]).join(' '));
        if (r.kind === 'found' && r.matchedBy !== 'code' && r.matchedBy !== 'old-code') {
          hits.push({ at: tokens[i]!.index, kommune: r.kommune });
          taken = n;
        } else if (r.kind === 'ambiguous' && r.reason === 'same-name') {
          for (const k of r.candidates) hits.push({ at: tokens[i]!.index, kommune: k });
          taken = n;
        }
      }
    }
    i += Math.max(1, taken);
  }
  const seen = new Set<string>();
  return hits
    .sort((a, b) => a.at - b.at)
    .map((h) => h.kommune)
    .filter((k) => !seen.has(k.code) && seen.add(k.code));
}

/**
 * The "Slå opp kommune" answer for a message: the card of the first kommune it mentions, with the
 * others listed (and buttons for the first few); a plain message when it mentions none.
 * `command` is the first card's command (for a share button), null when none was found.
 */
export async function lookupMentioned(rm: ReadModel, text: string, lang: Lang, publicUrl?: string | null): Promise<{ reply: Reply; command: string | null }> {
  const nb = lang === 'nb';
  const found = kommunerMentioned(rm.registry, text, publicUrl);
  const [first, ...others] = found;
  if (!first) {
    const message = nb
      ? 'Fant ingen kommune i meldingen. Jeg kjenner igjen kommunenavn (som Bodø eller Indre Østfold), kommunenummer (som 1804) og lenker til kommunesidene.'
      : 'Found no kommune in the message. I recognise kommune names (such as Bodø or Indre Østfold), kommune numbers (such as 1804) and links to the kommune pages.';
    return { reply: errorReply(lang, message), command: null };
  }
  const word = nb ? 'kommune' : 'municipality';
  const card = await kommuneCard(rm, first.code, lang);
  if (others.length === 0) return { reply: card, command: `${word} ${first.code}` };
  const listed = others.slice(0, MAX_LISTED).map((k) => `${k.code} ${k.nameNorwegian}`);
  if (others.length > MAX_LISTED) listed.push(nb ? `… og ${others.length - MAX_LISTED} til` : `… and ${others.length - MAX_LISTED} more`);
  const also = { type: 'list' as const, title: nb ? 'Meldingen nevner også' : 'The message also mentions', items: listed };
  const buttons = others.slice(0, MAX_BUTTONS).map((k) => ({ kind: 'command' as const, label: k.nameNorwegian, command: `${word} ${k.code}` }));
  return {
    reply: { ...card, sections: [also, ...card.sections], actions: [...card.actions, ...buttons], fallback: `${card.fallback} · ${also.title}: ${listed.join(', ')}` },
    command: `${word} ${first.code}`,
  };
}
