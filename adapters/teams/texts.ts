import type { Lang } from '../../src/domain/localized';

/** Texts only the Teams surface shows (the chat core's texts are in src/chat/texts.ts). */
const nb = {
  welcome: 'Hei! Jeg er tomte. Nevn meg i en kanal (@tomte kommune Bodø) eller skriv til meg direkte (kommune Bodø).',
  unknownAction: 'Ukjent knapp. Skriv «hjelp» for kommandoene.',
  answeredBelow: 'Svaret står nedenfor.',
  foreignTenant: 'tomte er ikke satt opp for denne organisasjonen, så meldingen ble avvist. Be den som drifter tomte om å legge organisasjonen til i TOMTE_TEAMS_TENANTS hvis det er meningen.',
};

const en: typeof nb = {
  welcome: 'Hi! I am tomte. Mention me in a channel (@tomte municipality Bodø) or write to me directly (municipality Bodø).',
  unknownAction: 'Unknown button. Type "help" for the commands.',
  answeredBelow: 'The answer is below.',
  foreignTenant: 'tomte is not set up for this organisation, so the message was refused. Ask whoever runs tomte to add the organisation to TOMTE_TEAMS_TENANTS if it should be.',
};

export type TeamsTexts = typeof nb;

export function teamsTexts(lang: Lang): TeamsTexts {
  return lang === 'en' ? en : nb;
}
