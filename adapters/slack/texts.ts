import type { Lang } from '../../src/domain/localized';

/** Texts only the Slack surface shows (the chat core's texts are in src/chat/texts.ts). */
const nb = {
  working: 'Jobber med det…',
  foreignWorkspace: 'tomte er ikke satt opp for dette arbeidsområdet, så forespørselen ble avvist. Be den som drifter tomte om å legge det til i TOMTE_SLACK_WORKSPACES hvis det er meningen.',
  workspaceUnknown: 'tomte kunne ikke bekrefte arbeidsområdet akkurat nå. Prøv igjen om litt.',
  homeTitle: 'tomte',
  homeIntro:
    'tomte finner kommuner som kan være klare til å selge tomter til ikke-kommersielle boliger. Skriv `/tomte hjelp` i en kanal eller her for kommandoene, for eksempel `/tomte kommune Bodø` eller `/tomte topp 10`.',
  watchlistTitle: 'Din overvåkningsliste',
  watchlistEmpty: 'Du følger ingen kommuner ennå. Skriv `/tomte abonner kommune Bodø` her i meldingsfanen, eller `/tomte abonner tier1`.',
  subscriptionsTitle: 'Kanalabonnementer du har laget',
  subscriptionsEmpty: 'Ingen kanalabonnementer ennå. Skriv `/tomte abonner tier1` i en kanal.',
  languageLabel: 'Språk for svarene dine',
  languageHint: 'Gjelder svarene du får fra tomte. Lagres bare til tjenesten starter på nytt.',
  languageNames: { nb: 'Norsk (bokmål)', en: 'English' } as Record<Lang, string>,
  pause: 'Sett på pause',
  resume: 'Fortsett',
  end: 'Avslutt',
};

const en: typeof nb = {
  working: 'Working on it…',
  foreignWorkspace: 'tomte is not set up for this workspace, so the request was refused. Ask whoever runs tomte to add it to TOMTE_SLACK_WORKSPACES if it should be.',
  workspaceUnknown: 'tomte could not confirm the workspace just now. Try again in a moment.',
  homeTitle: 'tomte',
  homeIntro:
    'tomte finds Norwegian kommuner that may be ready to sell land for non-commercial housing. Type `/tomte help` in a channel or here for the commands, for example `/tomte municipality Bodø` or `/tomte top 10`.',
  watchlistTitle: 'Your watchlist',
  watchlistEmpty: 'You are not following any kommuner yet. Type `/tomte subscribe municipality Bodø` here in the Messages tab, or `/tomte subscribe tier1`.',
  subscriptionsTitle: 'Channel subscriptions you created',
  subscriptionsEmpty: 'No channel subscriptions yet. Type `/tomte subscribe tier1` in a channel.',
  languageLabel: 'Language of your replies',
  languageHint: 'Applies to the replies tomte sends you. Kept only until the service restarts.',
  languageNames: { nb: 'Norsk (bokmål)', en: 'English' },
  pause: 'Pause',
  resume: 'Resume',
  end: 'End',
};

export type SlackTexts = typeof nb;

export function slackTexts(lang: Lang): SlackTexts {
  return lang === 'en' ? en : nb;
}
