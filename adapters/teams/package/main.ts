import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { configSchema } from '../../../src/config';
import { buildTeamsPackage } from './build';

/**
 * `npm run teams:package [-- --out <path>]`: writes the Teams app package (default
 * dist/tomte-teams.zip) from MICROSOFT_APP_ID and TOMTE_PUBLIC_URL.
 *
 * Only these two settings are parsed (with the project's schema, src/config.ts): packaging needs
 * neither the client secret nor any other setting, so the full parseConfig's "app id and password
 * together" rule would get in the way. Exit codes: 0 written, 2 settings missing or invalid,
 * 64 bad arguments, 1 the file could not be written.
 */

const USAGE = `Bruk: MICROSOFT_APP_ID=<app-id> TOMTE_PUBLIC_URL=https://<vert> npm run teams:package [-- --out <fil.zip>]
  --out <fil>   hvor pakken skrives (standard dist/tomte-teams.zip)`;

const DEFAULT_OUT = 'dist/tomte-teams.zip';

function parseArgs(argv: string[]): { out: string } | { help: true } | { error: string } {
  let out = DEFAULT_OUT;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return { help: true };
    if (a === '--out') {
      const v = argv[++i];
      if (v === undefined || v === '') return { error: '--out trenger en filsti' };
      out = v;
    } else if (a.startsWith('--out=') && a.length > 6) {
      out = a.slice(6);
    } else {
      return { error: `Ukjent argument: ${a}` };
    }
  }
  return { out };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  if ('help' in args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ('error' in args) {
    process.stderr.write(`${args.error}\n\n${USAGE}\n`);
    return 64;
  }

  const parsed = configSchema
    .pick({ MICROSOFT_APP_ID: true, TOMTE_PUBLIC_URL: true })
    .safeParse({ MICROSOFT_APP_ID: process.env.MICROSOFT_APP_ID, TOMTE_PUBLIC_URL: process.env.TOMTE_PUBLIC_URL });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
    process.stderr.write(`Ugyldige innstillinger:\n${problems}\n\n${USAGE}\n`);
    return 2;
  }
  const { MICROSOFT_APP_ID: appId, TOMTE_PUBLIC_URL: publicUrl } = parsed.data;
  const missing = [appId === undefined && 'MICROSOFT_APP_ID', publicUrl === undefined && 'TOMTE_PUBLIC_URL'].filter(Boolean);
  if (appId === undefined || publicUrl === undefined) {
    process.stderr.write(
      `Mangler ${missing.join(' og ')}. Sett MICROSOFT_APP_ID til Azure-botens app-id (en GUID) ` +
        `og TOMTE_PUBLIC_URL til tjenestens offentlige https-adresse.\n\n${USAGE}\n`,
    );
    return 2;
  }

  let built;
  try {
    built = buildTeamsPackage({ appId, publicUrl, version: packageVersion() });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }

  const out = resolve(args.out);
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, built.zip);
  } catch (err) {
    process.stderr.write(`Kunne ikke skrive ${out}: ${(err as Error).message}\n`);
    return 1;
  }
  const shown = relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out);
  process.stdout.write(
    [
      `Skrev ${shown} (${built.zip.length} byte, manifest ${built.manifest.manifestVersion}, versjon ${built.manifest.version})`,
      `  Bot-id:          ${built.manifest.bots[0]!.botId}`,
      `  Gyldig domene:   ${built.manifest.validDomains.join(', ')}`,
      `  Meldingsendepunkt (Azure-boten → Configuration → Messaging endpoint): ${publicUrl}/api/messages`,
      'Last opp pakken i Teams: Apper → Administrer appene dine → Last opp en app → Last opp en egendefinert app,',
      'eller for hele organisasjonen i Teams Admin Center (Teams-apper → Administrer apper → Last opp).',
      '',
    ].join('\n'),
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
