import { sql } from 'drizzle-orm';
import { check, date, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The 2024 kommune division (domain type `Kommune`). */
export const kommuner = pgTable(
  'kommuner',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    nameNorwegian: text('name_norwegian').notNull(),
    nameSami: text('name_sami'),
    samiLanguage: text('sami_language'),
    nameKven: text('name_kven'),
    countyCode: text('county_code').notNull(),
    countyName: text('county_name').notNull(),
    countyNameOfficial: text('county_name_official').notNull(),
    // mode 'string' so the domain's 'YYYY-MM-DD' round-trips without time-zone shifts.
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    // Codes are text to keep the leading zero ("0301"); guard against numbers sneaking in as "301".
    check('kommuner_code_format', sql`${t.code} ~ '^[0-9]{4}$'`),
  ],
);
