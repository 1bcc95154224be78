import { sql } from 'drizzle-orm';
import { check, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { CodeChange } from '../../domain/kommune/types';

/** Pre-2024 kommune codes mapped to the 2024 division (domain type `CodeChange`). */
export const kommuneCodeChanges = pgTable(
  'kommune_code_changes',
  {
    oldCode: text('old_code').notNull(),
    oldName: text('old_name').notNull(),
    newCode: text('new_code'),
    status: text('status').$type<CodeChange['status']>().notNull(),
    note: text('note'),
  },
  (t) => [
    // The same old code was reused across periods ("Halden (2020-2023)"), so the code alone is not unique.
    primaryKey({ name: 'kommune_code_changes_pk', columns: [t.oldCode, t.oldName] }),
    check(
      'kommune_code_changes_status',
      sql`${t.status} in ('samme_kode', 'slatt_inn_eller_omkodet', 'delt', 'delt_eller_ikke_kommune')`,
    ),
  ],
);
