import type * as z from 'zod';

/**
 * A JSON answer read through a zod schema (or only parsed, without one): the one place that turns
 * "not JSON" and "not the documented shape" into an error naming the source and where it broke.
 */
export function parseJsonResponse(what: string, text: string): unknown;
export function parseJsonResponse<T extends z.ZodType>(what: string, text: string, schema: T): z.infer<T>;
export function parseJsonResponse(what: string, text: string, schema?: z.ZodType): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${what}: response is not valid JSON (${text.length} bytes)`);
  }
  if (!schema) return json;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`${what}: unexpected response at ${i?.path.join('.')}: ${i?.message}`);
  }
  return parsed.data;
}
