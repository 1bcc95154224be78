import { parseConfig } from '../../src/config';
import { openDatabase } from '../db/open';

/** `npm run db:migrate`: brings DATABASE_URL (or the embedded database) to the latest schema. */
const config = parseConfig(process.env);
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.TOMTE_DATA_DIR });
await handle.close();
console.log(`migrated ${handle.kind === 'postgres' ? 'PostgreSQL' : `embedded database in ${config.TOMTE_DATA_DIR}`}`);
