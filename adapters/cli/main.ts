// `tomte …` on the command line. This module is the light entry: it parses the arguments with
// node:util's parseArgs (a mistyped flag is an error), answers what needs no data (usage,
// --version, `hjelp`, argument errors) without opening a database, and loads the rest on demand:
// session.ts finds the cheapest place to answer a command (issue 17), refresh.ts fetches sources.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseConfig, ConfigError } from '../../src/config';
import type { Reply } from '../../src/chat/reply';
import type { Lang } from '../../src/domain/localized';
import { renderText } from './render-text';
import type * as SessionModule from './session';
import type { Composition } from '../compose';

type Session = typeof SessionModule;

const USAGE = `Bruk: tomte <kommando …> [--json] [--en|--nb]
  tomte kommune Bodø          poeng, tier, nøkkeltall og kilder
  tomte hvorfor Oslo          hver regel med poeng og begrunnelse
  tomte topp 10 fylke Nordland
  tomte tier 1
  tomte sammenlign Bodø, Tromsø
  tomte modeller              poengmodellene og hvor godt de treffer kjente tilfeller
  tomte kilder | status | hjelp
  tomte adresse Storgata 1, Bodø   kommunen og koordinatene til en adresse, med kommunekortet
  tomte valider <fil.csv|fil.json> [--modell <id>]
                              sjekk modellene mot en liste kommuner med kjente utfall
  tomte refresh [--source ssb|valg|klass|robek|kartverket] [--dry-run]
                              hent nye tall fra kildene og beregn på nytt; viser per tabell
                              venting (kvote, SSBs stille vindu 07:55–08:15), henting og lagring
  tomte tomtekilde legg til geojson https://… kommune Bodø
  tomte tomtekilde fjern <id> | tomtekilder | logg | jobber
                              terminalens bruker er administrator
  … modell <id>               svar etter en annen modell (standard: TOMTE_MODEL)
  --json     skriv maskinlesbart svar (vedlegg B-format for kommuner)
  --en       svar på engelsk
  --version  versjonen av tomte
Mens tjenesten (npm start) kjører, svarer den på kommandoene.`;

/** Exit codes (sysexits.h where one fits): scripts can tell the cases apart. */
const EXIT = { ok: 0, notAnswered: 1, usage: 64, dataErr: 65, noInput: 66, tempFail: 75, config: 78 } as const;

const OPTIONS = {
  json: { type: 'boolean' },
  en: { type: 'boolean' },
  nb: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  source: { type: 'string' },
  modell: { type: 'string' },
  model: { type: 'string' },
} as const;

function usageError(message: string): number {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  return EXIT.usage;
}

const width = () => Math.max(60, Math.min(process.stdout.columns ?? 120, 160));

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'ukjent';
  } catch {
    return 'ukjent';
  }
}

/** Prints a chat reply: text, or with --json the data behind it; exit 0 only for an answer. */
function printReply(reply: Reply, json: boolean): number {
  const answered = reply.kind !== 'error' && reply.kind !== 'choice';
  if (json) {
    const body = answered
      ? (reply.data ?? { title: reply.title, sections: reply.sections })
      : { error: reply.title, choices: reply.actions.filter((a) => a.kind === 'command').map((a) => ({ label: a.label, command: a.command })) };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    process.stdout.write(renderText(reply, width()));
  }
  // A question back ("did you mean …?") is not an answer: scripts see exit 1.
  return answered ? EXIT.ok : EXIT.notAnswered;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    // ERR_PARSE_ARGS_UNKNOWN_OPTION names the flag; a string option without its value likewise.
    return usageError(`Ukjent eller ufullstendig valg: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { values, positionals: words } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if (values.version) {
    process.stdout.write(`tomte ${version()}\n`);
    return EXIT.ok;
  }
  if (values.en && values.nb) return usageError('Velg --en eller --nb, ikke begge.');
  const model = values.modell ?? values.model;
  if (values.modell !== undefined && values.model !== undefined) return usageError('Velg --modell eller --model, ikke begge.');
  const command = words[0];
  if (command !== 'refresh' && (values.source !== undefined || values['dry-run'])) return usageError('--source og --dry-run hører til «tomte refresh».');
  if (command !== 'valider' && command !== 'validate' && model !== undefined) return usageError('--modell hører til «tomte valider»; skriv «modell <id>» i andre kommandoer, for eksempel: tomte topp 10 modell seed-2026');

  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return EXIT.config;
    }
    throw err;
  }
  const lang: Lang = values.en ? 'en' : values.nb ? 'nb' : config.TOMTE_LANG;
  const text = words.join(' ');

  // Help needs no data: answered here, without a database, the service or the composition.
  // The command table loads with the handlers: only now, after usage and --version.
  const { routeCommand, handleCommand } = await import('../../src/chat/commands');
  if (routeCommand(text).entry.id === 'hjelp') {
    const { dataFreeReadModel } = await import('./absent');
    return printReply(await handleCommand({ rm: dataFreeReadModel(), lang, jobNames: [], actor: { platform: 'cli', userId: 'operator', workspace: null, isAdmin: async () => true } }, text), values.json === true);
  }

  const { nodeComposition } = await import('../node/bootstrap');
  // The CLI prints replies, not logs; problems still reach stderr.
  const comp = nodeComposition({ ...config, TOMTE_LOG_LEVEL: 'warn' }, (line) => process.stderr.write(`${line}\n`));

  if (command === 'refresh') {
    const { refreshCommand } = await import('./refresh');
    return refreshCommand(comp, { source: values.source, dryRun: values['dry-run'] === true });
  }

  const session = await import('./session');
  if (command === 'valider' || command === 'validate') {
    const vlang: Lang = command === 'validate' && !values.nb ? 'en' : lang;
    return validateCommand(session, comp, vlang, words[1], model, values.json === true);
  }

  try {
    const { value: reply, note } = await session.answerCommand(comp, text, lang);
    const code = printReply(reply, values.json === true);
    if (note) process.stderr.write(`${note}\n`);
    return code;
  } catch (err) {
    if (!(err instanceof session.HeldByServiceError)) throw err;
    process.stderr.write(
      lang === 'nb'
        ? `Tjenesten (pid ${err.pid}) bruker databasen i ${err.dataDir} og svarer ikke. Gjør endringen i Slack eller Teams, eller stopp tjenesten først.\n`
        : `The service (pid ${err.pid}) holds the database in ${err.dataDir} and does not answer. Make the change in Slack or Teams, or stop the service first.\n`,
    );
    return EXIT.tempFail;
  }
}

/** `tomte valider <fil>`: every model (or `--modell`'s) and the two baselines against a case list. */
async function validateCommand(
  session: Session,
  comp: Composition,
  lang: Lang,
  file: string | undefined,
  model: string | undefined,
  json: boolean,
): Promise<number> {
  if (!file) {
    process.stderr.write(`${lang === 'nb' ? 'Hvilken fil? For eksempel: tomte valider data/fasit/kjente-tilfeller.csv' : 'Which file? For example: tomte validate data/fasit/kjente-tilfeller.csv'}\n`);
    return EXIT.usage;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`${lang === 'nb' ? 'Kan ikke lese' : 'Cannot read'} ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.noInput;
  }
  const request = { text, format: /\.json$/i.test(file) ? ('json' as const) : ('csv' as const), ...(model ? { models: model.split(',').map((m) => m.trim()) } : {}) };
  const { value, note } = await session.answerValidation(comp, lang, request);
  if ('problems' in value) {
    process.stderr.write(`${file}:\n${value.problems.map((p) => `  ${p.line === null ? '' : `${lang === 'nb' ? 'linje' : 'line'} ${p.line}: `}${p.message[lang]}`).join('\n')}\n`);
    return EXIT.dataErr;
  }
  if (json) process.stdout.write(`${JSON.stringify(value.report, null, 2)}\n`);
  else {
    const { validationReply } = await import('../../src/chat/validation');
    process.stdout.write(renderText(validationReply(value.report, lang, file), width()));
  }
  if (note) process.stderr.write(`${note}\n`);
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tomte: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
