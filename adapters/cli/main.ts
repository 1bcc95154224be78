import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseConfig, ConfigError } from '../../src/config';
import { handleCommand, isVolatileCommand } from '../../src/chat/handlers';
import { validationReply } from '../../src/chat/validation';
import { t } from '../../src/chat/texts';
import type { Actor } from '../../src/domain/access';
import { resolveModelName } from '../../src/services/models';
import { parseCaseList, reportJson, validateModels, ValidationInputError } from '../../src/services/validation';
import { JOBS } from '../../jobs/registry';
import type { Lang } from '../../src/domain/localized';
import { nodeComposition, startRuntime, type Runtime } from '../node/bootstrap';
import type { Composition } from '../compose';
import { DatabaseLockedError, openPglite } from '../db/pglite';
import { migrateDatabase } from '../db/migrate';
import { renderText } from './render-text';
import { refreshSources, SOURCE_GROUPS, type SourceGroup } from '../../src/services/refresh-sources';
import { createRefreshProgress } from './progress';

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
  --json   skriv maskinlesbart svar (vedlegg B-format for kommuner)
  --en     svar på engelsk`;

async function main(argv: string[]): Promise<number> {
  const isFlag = (a: string) => a.startsWith('--') || a === '-h';
  const flags = new Set(argv.filter(isFlag));
  // `--source ssb` and `--modell seed-2026` take a value; it is not a word of the command.
  const words = argv.filter((a, i) => !isFlag(a) && argv[i - 1] !== '--source' && argv[i - 1] !== '--modell' && argv[i - 1] !== '--model');
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = [...flags].filter((f) => !['--json', '--en', '--nb', '--dry-run'].includes(f) && !f.startsWith('--source') && !f.startsWith('--modell') && !f.startsWith('--model'));
  if (unknown.length > 0) {
    process.stderr.write(`Ukjent valg: ${unknown.join(', ')}\n\n${USAGE}\n`);
    return 64;
  }
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 78;
    }
    throw err;
  }
  // The CLI prints replies, not logs; problems still reach stderr.
  const comp = nodeComposition({ ...config, TOMTE_LOG_LEVEL: 'warn' }, (line) => process.stderr.write(`${line}\n`));
  const lang: Lang = flags.has('--en') ? 'en' : flags.has('--nb') ? 'nb' : config.TOMTE_LANG;

  if (words[0] === 'refresh') return refreshCommand(argv, comp);
  if (words[0] === 'valider' || words[0] === 'validate') return validateCommand(argv, words, flags, comp, words[0] === 'validate' ? 'en' : lang);

  const opened = await openRuntime(comp, lang, words.join(' '));
  if (typeof opened === 'number') return opened;
  const { runtime, note } = opened;
  try {
    const reply = await handleCommand({ rm: runtime.readModel, lang, jobNames: JOBS.map((j) => j.name), actor: operator() }, words.join(' '));
    const answered = reply.kind !== 'error' && reply.kind !== 'choice';
    if (flags.has('--json')) {
      const body = answered
        ? (reply.data ?? { title: reply.title, sections: reply.sections })
        : { error: reply.title, choices: reply.actions.filter((a) => a.kind === 'command').map((a) => ({ label: a.label, command: a.command })) };
      process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      process.stdout.write(renderText(reply, Math.max(60, Math.min(process.stdout.columns ?? 120, 160))));
      if (note) process.stderr.write(`${note}\n`);
    }
    // A question back ("did you mean …?") is not an answer: scripts see exit 1.
    return answered ? 0 : 1;
  } finally {
    await runtime.handle.close();
  }
}

/** The value of `--name value` or `--name=value`. */
function flagValue(argv: string[], ...names: string[]): string | undefined {
  for (const [i, a] of argv.entries()) {
    for (const n of names) {
      if (a === n) return argv[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

/** `tomte valider <fil>`: every model (or `--modell`'s) and the two baselines against a case list. */
async function validateCommand(argv: string[], words: string[], flags: Set<string>, comp: Composition, lang: Lang): Promise<number> {
  const file = words[1];
  if (!file) {
    process.stderr.write(`${lang === 'nb' ? 'Hvilken fil? For eksempel: tomte valider data/fasit/kjente-tilfeller.csv' : 'Which file? For example: tomte validate data/fasit/kjente-tilfeller.csv'}\n`);
    return 64;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`${lang === 'nb' ? 'Kan ikke lese' : 'Cannot read'} ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 66;
  }
  const runtime = await openRuntime(comp, lang, null);
  if (typeof runtime === 'number') return runtime;
  try {
    const modelArg = flagValue(argv, '--modell', '--model');
    const models = modelArg ? modelArg.split(',').map((m) => resolveModelName(runtime.runtime.readModel, m)?.model.id ?? m) : undefined;
    const unknownModels = (models ?? []).filter((m) => !runtime.runtime.readModel.forModel(m));
    if (unknownModels.length > 0) {
      process.stderr.write(`${t(lang).unknownModel(unknownModels.join(', '), runtime.runtime.readModel.all().map((v) => v.model.id))}\n`);
      return 64;
    }
    let report;
    try {
      report = validateModels(runtime.runtime.readModel, parseCaseList(text, /\.json$/i.test(file) ? 'json' : 'csv'), models ? { models } : {});
    } catch (err) {
      if (!(err instanceof ValidationInputError)) throw err;
      process.stderr.write(`${file}:\n${err.problems.map((p) => `  ${p.line === null ? '' : `${lang === 'nb' ? 'linje' : 'line'} ${p.line}: `}${p.message[lang]}`).join('\n')}\n`);
      return 65;
    }
    if (flags.has('--json')) process.stdout.write(`${JSON.stringify(reportJson(report), null, 2)}\n`);
    else {
      process.stdout.write(renderText(validationReply(report, lang, file), Math.max(60, Math.min(process.stdout.columns ?? 120, 160))));
      if (runtime.note) process.stderr.write(`${runtime.note}\n`);
    }
    return 0;
  } finally {
    await runtime.runtime.handle.close();
  }
}

/**
 * The database as the service uses it; while the service holds the embedded database, a private
 * in-memory copy of the bundled snapshot, with a note saying so. A command that changes something
 * is refused then (exit 75): a change made in a throw-away copy would be lost.
 */
async function openRuntime(comp: Composition, lang: Lang, command: string | null): Promise<{ runtime: Runtime; note: string | null } | number> {
  try {
    return { runtime: await startRuntime(comp), note: null };
  } catch (err) {
    if (!(err instanceof DatabaseLockedError)) throw err;
    if (command !== null && isVolatileCommand(command)) {
      process.stderr.write(
        lang === 'nb'
          ? `Tjenesten (pid ${err.pid}) bruker databasen i ${err.dataDir}. Gjør endringen i Slack eller Teams, eller stopp tjenesten først.\n`
          : `The service (pid ${err.pid}) holds the database in ${err.dataDir}. Make the change in Slack or Teams, or stop the service first.\n`,
      );
      return 75;
    }
    const handle = await openPglite({});
    await migrateDatabase(handle);
    const runtime = await startRuntime(comp, handle);
    const note =
      lang === 'nb'
        ? `Merk: tjenesten (pid ${err.pid}) bruker databasen i ${err.dataDir}; svaret er regnet fra den medfølgende datapakken.`
        : `Note: the service (pid ${err.pid}) holds the database in ${err.dataDir}; this answer is computed from the bundled snapshot.`;
    return { runtime, note };
  }
}

/** Whoever runs the CLI operates the machine and its database: an administrator. */
function operator(): Actor {
  let name = 'operator';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): the generic name will do.
  }
  return { platform: 'cli', userId: name, workspace: null, isAdmin: async () => true };
}

/** `tomte refresh`: fetches every source (or one), archives, upserts, rescores; prints progress. */
async function refreshCommand(argv: string[], comp: Composition): Promise<number> {
  const sourceArg = argv.find((a) => a.startsWith('--source'));
  const value = sourceArg?.includes('=') ? sourceArg.split('=')[1] : sourceArg ? argv[argv.indexOf(sourceArg) + 1] : undefined;
  const groups = value ? value.split(',') : [...SOURCE_GROUPS];
  const bad = groups.filter((g) => !(SOURCE_GROUPS as readonly string[]).includes(g));
  if (bad.length > 0) {
    process.stderr.write(`Ukjent kilde: ${bad.join(', ')}. Velg blant ${SOURCE_GROUPS.join(', ')}.\n`);
    return 64;
  }
  const dryRun = argv.includes('--dry-run');
  let runtime: Runtime;
  try {
    runtime = await startRuntime(comp);
  } catch (err) {
    if (err instanceof DatabaseLockedError) {
      process.stderr.write(`Tjenesten (pid ${err.pid}) bruker databasen i ${err.dataDir}. Stopp den, eller la den oppdatere selv (den kjører refresh etter planen).\n`);
      return 75;
    }
    throw err;
  }
  try {
    const progress = createRefreshProgress({ write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true, columns: process.stdout.columns ?? 100 });
    const report = await refreshSources(runtime.deps, {
      groups: groups as SourceGroup[],
      dryRun,
      makeHttp: comp.makeHttp,
      onPhase: progress.onPhase,
      onProgress: progress.onProgress,
    });
    process.stdout.write('\n');
    for (const s of report.sources) {
      const kb = (s.bytes / 1024).toFixed(0);
      process.stdout.write(`${s.source}: ${s.requests} forespørsler, ${kb} kB${s.unreachable ? ' – kilden svarer ikke (ingen nettverkstilgang?); tidligere tall beholdes' : ''}\n`);
      for (const w of s.warnings) process.stdout.write(`  advarsel: ${w}\n`);
    }
    process.stdout.write(report.rescore ? `Ny beregning: kjøring ${report.rescore.runId}\n` : 'Ingen endringer å beregne.\n');
    const failed = report.sources.some((s) => s.datasets.some((d) => d.outcome === 'failed'));
    return failed ? 1 : 0;
  } finally {
    await runtime.handle.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tomte: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
