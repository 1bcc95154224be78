import { fmt } from '../domain/format';
import type { Lang } from '../domain/localized';
import type { ReadModel } from '../services/read-model';
import { MAX_ADDRESS_QUERY, type AddressHit } from '../sources/kartverket/adresser';
import { mapLink } from './alerts';
import type { Reply, Section } from './reply';

/**
 * `adresse <tekst>` (English: `address <text>`): Kartverket's open address search gives the
 * address's kommune and coordinates; the reply is that kommune's card with the address on top.
 */
export type AddressCommand = { name: 'adresse'; lang: Lang | null; query: string } | { name: 'invalid-address'; lang: Lang | null };

/** Parses the text after `adresse` (the word is matched by the command table, ./commands.ts). */
export function parseAddress(lang: Lang | null, rest: string): AddressCommand {
  const query = rest.trim();
  return query === '' ? { name: 'invalid-address', lang } : { name: 'adresse', lang, query: query.slice(0, MAX_ADDRESS_QUERY) };
}

const problem = (lang: Lang, title: string): Reply => ({ kind: 'error', lang, title, sections: [], actions: [], fallback: title });

function coordinates(h: AddressHit, lang: Lang): string {
  if (h.lat === null || h.lon === null) return lang === 'nb' ? 'ukjent' : 'unknown';
  return `${fmt(h.lat, lang, 6)}, ${fmt(h.lon, lang, 6)} (EPSG:4258) ${mapLink(h.lat, h.lon)}`;
}

/**
 * Answers an address command. `kommuneCard` builds the kommune reply (handlers.ts passes its own,
 * so the card is the one `kommune <nr>` shows).
 */
export async function handleAddressCommand(rm: ReadModel, cmd: AddressCommand, lang: Lang, kommuneCard: (code: string) => Promise<Reply>): Promise<Reply> {
  const nb = lang === 'nb';
  if (cmd.name === 'invalid-address') return problem(lang, nb ? 'Hvilken adresse? Prøv «adresse Storgata 1, Bodø».' : 'Which address? Try "address Storgata 1, Bodø".');
  const search = rm.deps.addressSearch;
  if (!search) return problem(lang, nb ? 'Adressesøk er ikke satt opp i denne tjenesten.' : 'Address search is not set up in this service.');
  let found;
  try {
    found = await search(cmd.query);
  } catch (err) {
    rm.deps.logger.warn('address search failed', { error: err });
    return problem(lang, nb ? 'Kartverkets adressesøk svarer ikke nå. Prøv igjen om litt.' : "Kartverket's address search is not answering. Try again shortly.");
  }
  const [hit, ...others] = found.hits;
  if (!hit) return problem(lang, nb ? `Fant ingen adresse som passer «${cmd.query}».` : `No address matches "${cmd.query}".`);
  const kommune = rm.kommune(hit.kommuneCode);
  const place = `${hit.text}${hit.postcode ? `, ${hit.postcode} ${hit.postPlace ?? ''}`.trimEnd() : ''}`;
  const address: Section = {
    type: 'fields',
    title: nb ? `Adresse: ${place}` : `Address: ${place}`,
    fields: [
      { label: nb ? 'Kommune' : 'Kommune', value: kommune ? `${kommune.code} ${kommune.name}` : `${hit.kommuneCode} ${hit.kommuneName}` },
      { label: nb ? 'Koordinater' : 'Coordinates', value: coordinates(hit, lang) },
      ...(hit.cadastre ? [{ label: nb ? 'Gårds-/bruksnummer' : 'Cadastral no. (gnr/bnr)', value: hit.cadastre }] : []),
    ],
  };
  const more: Section[] =
    others.length > 0
      ? [{ type: 'list', title: nb ? `Andre treff (${found.total} i alt)` : `Other matches (${found.total} in all)`, items: others.map((o) => `${o.text}, ${o.postcode ?? ''} ${o.postPlace ?? ''} – ${o.kommuneCode} ${rm.kommune(o.kommuneCode)?.nameNorwegian ?? o.kommuneName}`.replace(/\s+/g, ' ')) }]
      : [];
  const credit: Section = { type: 'context', text: nb ? 'Adresse og koordinater: Kartverkets adressesøk (© Kartverket, CC BY 4.0).' : "Address and coordinates: Kartverket's address search (© Kartverket, CC BY 4.0)." };
  if (!kommune) {
    const title = nb ? `Adresse: ${place}` : `Address: ${place}`;
    const note: Section = { type: 'text', text: nb ? `Kommunenummer ${hit.kommuneCode} er ikke blant de 357 kommunene tomte scorer.` : `Kommune number ${hit.kommuneCode} is not one of the 357 kommuner tomte scores.` };
    return { kind: 'kommune', lang, title, sections: [address, note, ...more, credit], actions: [], fallback: `${place}: ${hit.kommuneCode} ${hit.kommuneName}` };
  }
  const card = await kommuneCard(kommune.code);
  return {
    ...card,
    sections: [address, ...card.sections, ...more, credit],
    fallback: `${place} (${kommune.code} ${kommune.nameNorwegian}): ${card.fallback}`,
  };
}
