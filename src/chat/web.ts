/**
 * `web` (a one-time sign-in link to the pages, answered only to the asker) and `kart [fylke <navn>]
 * [modell <id>]` (the tier map as a picture). Entries of the command table (commands.ts).
 */
import type { Lang } from '../domain/localized';
import type { MapSpec } from '../domain/map-spec';
import { fmt } from '../domain/format';
import type { ReadModel } from '../services/read-model';
import { resolveModelName } from '../services/models';
import type { WebUser } from '../services/web-auth';
import { errorReply } from './handlers';
import { modelOption } from './grammar';
import type { Reply } from './reply';

/** What the adapter knows of the asker, and whether the answer is seen by the asker alone. */
export interface WebAsker {
  user: WebUser;
  /** Slack answers ephemerally; a Teams personal chat is private; a Teams channel or group chat is not. */
  privateAnswer: boolean;
}

/** Makes the sign-in URL (composition: TOMTE_WEB_SECRET and TOMTE_PUBLIC_URL); null when the deployment cannot. */
export type SignInLinkMaker = (user: WebUser) => Promise<{ url: string; expiresAt: Date } | null>;

export async function handleWebCommand(asker: WebAsker | null, makeLink: SignInLinkMaker | undefined, lang: Lang): Promise<Reply> {
  const nb = lang === 'nb';
  if (!asker) return errorReply(lang, nb ? 'Innloggingslenker lages i Slack eller Teams: skriv «web» til tomte der.' : 'Sign-in links are made in Slack or Teams: write "web" to tomte there.');
  if (!asker.privateAnswer) {
    return errorReply(lang, nb ? 'Lenken er personlig: skriv «web» til meg i en personlig chat, så ser bare du den.' : 'The link is personal: write "web" to me in a personal chat, so only you see it.');
  }
  const link = makeLink ? await makeLink(asker.user) : null;
  if (!link) return errorReply(lang, nb ? 'Nettsidene er ikke satt opp her (TOMTE_WEB_SECRET og TOMTE_PUBLIC_URL mangler).' : 'The web pages are not set up here (TOMTE_WEB_SECRET and TOMTE_PUBLIC_URL are missing).');
  const title = nb ? 'Din innloggingslenke til tomte på nett' : 'Your sign-in link to tomte on the web';
  const minutes = Math.round((link.expiresAt.getTime() - Date.now()) / 60_000);
  return {
    kind: 'help',
    lang,
    title,
    sections: [
      { type: 'text', text: link.url },
      { type: 'context', text: nb ? `Gjelder én gang i ${Math.max(minutes, 1)} minutter, og bare for deg. Ikke del den.` : `Works once, for ${Math.max(minutes, 1)} minutes, and only for you. Do not share it.` },
    ],
    actions: [],
    fallback: `${title}: ${link.url}`,
    // Opening the link no longer spends it (GET only shows a button), but no preview is wanted either.
    noLinkPreviews: true,
  };
}

export interface KartCommand {
  lang: Lang | null;
  county: string | null;
  model: string | null;
  /** Words the grammar did not take (answered with the usage). */
  rest: string[];
  modelMissing: boolean;
}

export function parseKart(args: string[], lang: Lang | null): KartCommand {
  const mo = modelOption(args);
  const i = mo.rest.findIndex((t) => ['fylke', 'county'].includes(t.toLowerCase()));
  const county = i >= 0 ? mo.rest.slice(i + 1).join(' ').trim() : '';
  const rest = i >= 0 ? mo.rest.slice(0, i) : mo.rest;
  return { lang, county: county === '' ? null : county, model: mo.model, rest: i >= 0 && county === '' ? [...rest, 'fylke'] : rest, modelMissing: mo.missing };
}

export function handleKartCommand(rm: ReadModel, cmd: KartCommand, lang: Lang): Reply {
  const nb = lang === 'nb';
  const usage = nb ? 'Bruk: kart [fylke <navn>] [modell <id>]' : 'Usage: kart [county <name>] [model <id>]';
  if (cmd.rest.length > 0 || cmd.modelMissing) return errorReply(lang, usage);
  const view = cmd.model ? resolveModelName(rm, cmd.model) : rm.primary;
  if (!view) return errorReply(lang, nb ? `Kjenner ikke modellen «${cmd.model}». ${usage}` : `Unknown model "${cmd.model}". ${usage}`);
  const county = cmd.county ? rm.registry.resolveCounty(cmd.county) : undefined;
  if (cmd.county && !county) return errorReply(lang, nb ? `Fant ikke fylket «${cmd.county}».` : `No county called "${cmd.county}".`);
  const kommuner = rm.registry.all().filter((k) => !county || k.countyCode === county.code);
  const counts = [1, 2, 3].map((tier) => kommuner.filter((k) => view.scores.get(k.code)?.tier === tier).length);
  const none = kommuner.length - counts.reduce((a, b) => a + b, 0);
  const where = county ? county.name : nb ? 'hele landet' : 'all of Norway';
  const title = nb ? `Tier-kart: ${where} (${view.model.id})` : `Tier map: ${where} (${view.model.id})`;
  const summary = `Tier 1: ${fmt(counts[0]!, lang)} · Tier 2: ${fmt(counts[1]!, lang)} · Tier 3: ${fmt(counts[2]!, lang)}${none > 0 ? ` · ${nb ? 'uten tier' : 'no tier'}: ${fmt(none, lang)}` : ''}`;
  const map: MapSpec = { ...(view.isDefault ? {} : { model: view.model.id }), ...(county ? { county: county.code } : {}) };
  return {
    kind: 'ranking',
    lang,
    title,
    sections: [
      { type: 'text', text: summary },
      { type: 'context', text: nb ? 'Kartet kommer som bilde. © Kartverket · Kilde: SSB' : 'The map follows as a picture. © Kartverket · Kilde: SSB' },
    ],
    actions: [{ kind: 'command', label: nb ? 'Topp 10 her' : 'Top 10 here', command: `topp 10${county ? ` fylke ${county.name}` : ''}${view.isDefault ? '' : ` modell ${view.model.id}`}` }],
    fallback: `${title}. ${summary}`,
    image: {
      map,
      alt: nb ? `Kart over ${where}: kommunene farget etter tier (${view.model.id}), mørkest er Tier 1` : `Map of ${where}: kommuner coloured by tier (${view.model.id}), darkest is Tier 1`,
      filename: `tomte-kart-${county ? county.code : 'norge'}-${view.model.id}.png`,
    },
  };
}
