import { userInfo } from 'node:os';
import { parseConfig, ConfigError } from '../../src/config';
import { handleCommand, isVolatileCommand } from '../../src/chat/handlers';
import type { Actor } from '../../src/domain/access';
import { JOBS } from '../../jobs/registry';
import type { Lang } from '../../src/domain/localized';
import { nodeComposition, startRuntime, type Runtime } from '../node/bootstrap';
import type { Composition } from '../compose';
import { DatabaseLockedError, openPglite } from '../db/pglite';
import { migrateDatabase } from '../db/migrate';
import { renderText } from './render-text';
import { refreshSources, SOURCE_GROUPS, type DatasetOutcome, type SourceGroup } from '../../src/services/refresh-sources';

const USAGE = `Bruk: tomte <kommando …> [--json] [--en|--nb]
  tomte kommune Bodø          poeng, tier, nøkkeltall og kilder
  tomte hvorfor Oslo          hver regel med poeng og begrunnelse
  tomte topp 10 fylke Nordland
  tomte tier 1
  tomte sammenlign Bodø, Tromsø
  tomte kilder | status | hjelp
  tomte refresh [--source ssb|valg|kartverket] [--dry-run]
                              hent nye tall fra SSB og Kartverket og beregn på nytt
  tomte tomtekilde legg til geojson https://… kommune Bodø
  tomte tomtekilde fjern <id> | tomtekilder | logg | jobber
                              terminalens bruker er administrator
  --json   skriv maskinlesbart svar (vedlegg B-format for kommuner)
  --en     svar på engelsk`;

async function main(argv: string[]): Promise<number> {
  const isFlag = (a: string) => a.startsWith('--') || a === '-h';
  const flags = new Set(argv.filter(isFlag));
  // `--source ssb` takes a value; it is not a word of the command.
  const words = argv.filter((a, i) => !isFlag(a) && argv[i - 1] !== '--source');
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = [...flags].filter((f) => !['--json', '--en', '--nb', '--dry-run'].includes(f) && !f.startsWith('--source'));
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

  let runtime: Runtime;
  let note: string | null = null;
  try {
    runtime = await startRuntime(comp);
  } catch (err) {
    if (!(err instanceof DatabaseLockedError)) throw err;
    // A change made in a throw-away copy would be lost: say so instead of pretending.
    if (isVolatileCommand(words.join(' '))) {
      process.stderr.write(
        lang === 'nb'
          ? `Tjenesten (pid ${err.pid}) bruker databasen i ${err.dataDir}. Gjør endringen i Slack eller Teams, eller stopp tjenesten først.\n`
          : `The service (pid ${err.pid}) holds the database in ${err.dataDir}. Make the change in Slack or Teams, or stop the service first.\n`,
      );
      return 75;
    }
    // The service holds the embedded database; answer from a private in-memory copy of the snapshot.
    const handle = await openPglite({});
    await migrateDatabase(handle);
    runtime = await startRuntime(comp, handle);
    note =
      lang === 'nb'
        ? `Merk: tjenesten (pid ${err.pid}) bruker databasen i ${err.dataDir}; svaret er regnet fra den medfølgende datapakken.`
        : `Note: the service (pid ${err.pid}) holds the database in ${err.dataDir}; this answer is computed from the bundled snapshot.`;
  }
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

const OUTCOME_TEXT: Record<DatasetOutcome['outcome'], string> = {
  updated: 'oppdatert',
  unchanged: 'uendret (samme «updated» hos kilden)',
  failed: 'FEILET',
  unreachable: 'utilgjengelig',
  'dry-run': 'prøvekjøring, ikke lagret',
};

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
    let current = '';
    const report = await refreshSources(runtime.deps, {
      groups: groups as SourceGroup[],
      dryRun,
      makeHttp: comp.makeHttp,
      onProgress: (source, d) => {
        if (source !== current) {
          current = source;
          process.stdout.write(`\n${source}\n`);
        }
        const extra = d.rowsChanged > 0 ? `, ${d.rowsChanged} rader endret` : '';
        const periods = d.periods.length > 0 ? ` [${d.periods[0]}–${d.periods[d.periods.length - 1]}]` : '';
        process.stdout.write(`  ${d.dataset.padEnd(28)} ${OUTCOME_TEXT[d.outcome]}${periods}${extra}${d.error && d.outcome === 'failed' ? `: ${d.error}` : ''}\n`);
      },
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
