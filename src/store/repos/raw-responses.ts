import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { rawResponses } from '../schema';

export interface ResponseToArchive {
  /** Publisher, e.g. "SSB". */
  source: string;
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  /** The payload as received; it is always hashed and measured. */
  body: string;
  fetchedAt: Date;
  /** false keeps hash and size but not the payload (e.g. for large bodies). Default true. */
  storeBody?: boolean;
}

export interface ArchivedResponse {
  id: number;
  contentHash: string;
  /** false when the same payload for the same URL was already archived. */
  created: boolean;
}

/** sha256 as lowercase hex via Web Crypto, which Node 20+ and Workers both expose globally. */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Archives a response once per (url, content): re-fetching an unchanged payload returns the
 * existing row's id and writes nothing, so the archive grows only when the publisher changes data.
 */
export async function archiveResponse(db: Db, response: ResponseToArchive): Promise<ArchivedResponse> {
  const bytes = new TextEncoder().encode(response.body);
  const contentHash = await sha256Hex(bytes);
  const [row] = await db
    .insert(rawResponses)
    .values({
      source: response.source,
      method: response.method,
      url: response.url,
      status: response.status,
      contentType: response.contentType,
      contentHash,
      bytes: bytes.byteLength,
      body: response.storeBody === false ? null : response.body,
      fetchedAt: response.fetchedAt,
    })
    .onConflictDoNothing({ target: [rawResponses.url, rawResponses.contentHash] })
    .returning({ id: rawResponses.id });
  if (row) return { id: row.id, contentHash, created: true };
  const [existing] = await db
    .select({ id: rawResponses.id })
    .from(rawResponses)
    .where(and(eq(rawResponses.url, response.url), eq(rawResponses.contentHash, contentHash)))
    .limit(1);
  // ON CONFLICT waits for a concurrent inserter to commit, so the row is visible here unless that
  // transaction rolled back; that is rare enough to surface as an error rather than retry.
  if (!existing) throw new Error(`raw response for ${response.url} conflicted but could not be read back`);
  return { id: existing.id, contentHash, created: false };
}
