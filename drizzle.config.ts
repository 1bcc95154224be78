import { defineConfig } from 'drizzle-kit';

// Only `generate` is used; migrations are applied by adapters/db/migrate.ts at open, so no
// credentials are needed here.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});
