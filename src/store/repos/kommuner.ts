import { asc, sql } from 'drizzle-orm';
import type { CodeChange, Kommune } from '../../domain/kommune/types';
import type { Db } from '../db';
import { kommuneCodeChanges, kommuner } from '../schema';
import { addUpsertBatch, anyColumnChanged, chunk, excluded, lastPerKey, wasInserted, type UpsertCounts } from './sql-helpers';

const kommuneContent = [
  kommuner.name,
  kommuner.nameNorwegian,
  kommuner.nameSami,
  kommuner.samiLanguage,
  kommuner.nameKven,
  kommuner.countyCode,
  kommuner.countyName,
  kommuner.countyNameOfficial,
  kommuner.validFrom,
  kommuner.validTo,
];

/** Inserts or refreshes kommuner by code; `updated_at` moves only when something changed. */
export async function upsertKommuner(db: Db, items: readonly Kommune[]): Promise<UpsertCounts> {
  const unique = lastPerKey(items, (k) => k.code);
  if (unique.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  return db.transaction(async (tx) => {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    for (const batch of chunk(unique)) {
      const rows = await tx
        .insert(kommuner)
        .values(
          batch.map((k) => ({
            code: k.code,
            name: k.name,
            nameNorwegian: k.nameNorwegian,
            nameSami: k.nameSami,
            samiLanguage: k.samiLanguage,
            nameKven: k.nameKven,
            countyCode: k.countyCode,
            countyName: k.countyName,
            countyNameOfficial: k.countyNameOfficial,
            validFrom: k.validFrom,
            validTo: k.validTo,
          })),
        )
        .onConflictDoUpdate({
          target: kommuner.code,
          set: {
            name: excluded(kommuner.name),
            nameNorwegian: excluded(kommuner.nameNorwegian),
            nameSami: excluded(kommuner.nameSami),
            samiLanguage: excluded(kommuner.samiLanguage),
            nameKven: excluded(kommuner.nameKven),
            countyCode: excluded(kommuner.countyCode),
            countyName: excluded(kommuner.countyName),
            countyNameOfficial: excluded(kommuner.countyNameOfficial),
            validFrom: excluded(kommuner.validFrom),
            validTo: excluded(kommuner.validTo),
            updatedAt: sql`now()`,
          },
          setWhere: anyColumnChanged(kommuneContent),
        })
        .returning({ inserted: wasInserted });
      addUpsertBatch(counts, batch.length, rows);
    }
    return counts;
  });
}

export async function listKommuner(db: Db): Promise<Kommune[]> {
  return db
    .select({
      code: kommuner.code,
      name: kommuner.name,
      nameNorwegian: kommuner.nameNorwegian,
      nameSami: kommuner.nameSami,
      samiLanguage: kommuner.samiLanguage,
      nameKven: kommuner.nameKven,
      countyCode: kommuner.countyCode,
      countyName: kommuner.countyName,
      countyNameOfficial: kommuner.countyNameOfficial,
      validFrom: kommuner.validFrom,
      validTo: kommuner.validTo,
    })
    .from(kommuner)
    .orderBy(asc(kommuner.code));
}

/**
 * Replaces the whole code-change table. The source file is the complete mapping, so a full swap
 * (in one transaction, readers never see it empty) is simpler and more correct than a merge.
 */
export async function replaceCodeChanges(db: Db, items: readonly CodeChange[]): Promise<number> {
  const unique = lastPerKey(items, (c) => `${c.oldCode}|${c.oldName}`);
  return db.transaction(async (tx) => {
    await tx.delete(kommuneCodeChanges);
    for (const batch of chunk(unique)) {
      await tx.insert(kommuneCodeChanges).values(
        batch.map((c) => ({
          oldCode: c.oldCode,
          oldName: c.oldName,
          newCode: c.newCode,
          status: c.status,
          note: c.note,
        })),
      );
    }
    return unique.length;
  });
}

export async function listCodeChanges(db: Db): Promise<CodeChange[]> {
  return db
    .select({
      oldCode: kommuneCodeChanges.oldCode,
      oldName: kommuneCodeChanges.oldName,
      newCode: kommuneCodeChanges.newCode,
      status: kommuneCodeChanges.status,
      note: kommuneCodeChanges.note,
    })
    .from(kommuneCodeChanges)
    .orderBy(asc(kommuneCodeChanges.oldCode), asc(kommuneCodeChanges.oldName));
}
