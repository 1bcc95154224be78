import type { Lang } from '../../src/domain/localized';

/** Texts only the Teams surface shows (the chat core's texts are in src/chat/texts.ts). */
const nb = {
  welcome: 'Hei! Jeg er tomte. Nevn meg i en kanal (@tomte kommune Bodø) eller skriv til meg direkte (kommune Bodø).',
  unknownAction: 'Ukjent knapp. Skriv «hjelp» for kommandoene.',
};

const en: typeof nb = {
  welcome: 'Hi! I am tomte. Mention me in a channel (@tomte municipality Bodø) or write to me directly (municipality Bodø).',
  unknownAction: 'Unknown button. Type "help" for the commands.',
};

export type TeamsTexts = typeof nb;

export function teamsTexts(lang: Lang): TeamsTexts {
  return lang === 'en' ? en : nb;
}
