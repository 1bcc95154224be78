import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The dependency rule of the architecture is enforced by eslint.config.js; these cases prove the
// rule fires where it must and stays quiet where imports are allowed.
const eslint = new ESLint();

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath });
  return (res?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('import boundaries', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", 'src/domain/x.ts'],
    ["import postgres from 'postgres';\nexport const x = postgres;", 'src/store/x.ts'],
    ["import { PGlite } from '@electric-sql/pglite';\nexport const x = PGlite;", 'jobs/x.ts'],
    ["import { openDatabase } from '../../adapters/db/open';\nexport const x = openDatabase;", 'src/services/x.ts'],
    ["import cron from 'node-cron';\nexport const x = cron;", 'jobs/x.ts'],
    ["import { App } from '@slack/bolt';\nexport const x = App;", 'src/chat/x.ts'],
    ["import { listKommuner } from '../store/repos/kommuner';\nexport const x = listKommuner;", 'src/chat/x.ts'],
    ["import { CloudAdapter } from 'botbuilder';\nexport const x = CloudAdapter;", 'adapters/teams/bot.ts'],
    ["import { ConnectorClient } from 'botframework-connector';\nexport const x = ConnectorClient;", 'adapters/node/x.ts'],
  ])('rejects %s in %s', async (code, file) => {
    expect(await ruleIds(code, file)).toContain('no-restricted-imports');
  });

  it('rejects process.env in the core', async () => {
    expect(await ruleIds('export const x = process.env.PORT;', 'src/config-x.ts')).toEqual(
      expect.arrayContaining(['no-restricted-globals']),
    );
  });

  it('allows the Bot Framework SDK in adapters/teams/framework.ts only', async () => {
    expect(await ruleIds("import { CloudAdapter } from 'botbuilder';\nexport const x = CloudAdapter;", 'adapters/teams/framework.ts')).toEqual([]);
  });

  it('allows the same imports in adapters/', async () => {
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport const x = readFileSync(process.env.X ?? '');", 'adapters/node/x.ts')).toEqual([]);
  });
});
