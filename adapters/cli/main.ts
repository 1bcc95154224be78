import { parseConfig, ConfigError } from '../../src/config';
import { handleCommand } from '../../src/chat/handlers';
import type { Lang } from '../../src/domain/localized';
import { makeLogger, startRuntime, type Runtime } from '../node/bootstrap';
import { DatabaseLockedError, openPglite } from '../db/pglite';
import { migrateDatabase } from '../db/migrate';
import { renderText } from './render-text';

const USAGE = `Bruk: tomte <kommando …> [--json] [--en|--nb]
  tomte kommune Bodø          poeng, tier, nøkkeltall og kilder
  tomte hvorfor Oslo          hver regel med poeng og begrunnelse
  tomte topp 10 fylke Nordland
  tomte tier 1
  tomte sammenlign Bodø, Tromsø
  tomte kilder | status | hjelp
  --json   skriv maskinlesbart svar (vedlegg B-format for kommuner)
  --en     svar på engelsk`;

async function main(argv: string[]): Promise<number> {
  const isFlag = (a: string) => a.startsWith('--') || a === '-h';
  const flags = new Set(argv.filter(isFlag));
  const words = argv.filter((a) => !isFlag(a));
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = [...flags].filter((f) => !['--json', '--en', '--nb'].includes(f));
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
  const logger = makeLogger({ ...config, TOMTE_LOG_LEVEL: 'warn' }, (line) => process.stderr.write(`${line}\n`));
  const lang: Lang = flags.has('--en') ? 'en' : flags.has('--nb') ? 'nb' : config.TOMTE_LANG;

  let runtime: Runtime;
  let note: string | null = null;
  try {
    runtime = await startRuntime(config, logger);
  } catch (err) {
    if (!(err instanceof DatabaseLockedError)) throw err;
    // The service holds the embedded database; answer from a private in-memory copy of the snapshot.
    const handle = await openPglite({});
    await migrateDatabase(handle);
    runtime = await startRuntime(config, logger, handle);
    note =
      lang === 'nb'
        ? `Merk: tjenesten (pid ${err.pid}) bruker databasen i ${err.dataDir}; svaret er regnet fra den medfølgende datapakken.`
        : `Note: the service (pid ${err.pid}) holds the database in ${err.dataDir}; this answer is computed from the bundled snapshot.`;
  }
  try {
    const reply = await handleCommand({ rm: runtime.readModel, lang }, words.join(' '));
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tomte: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
