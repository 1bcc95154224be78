/**
 * Reads a request body with a cap, before anything else looks at it (signatures, JSON, the bot):
 * a declared Content-Length above the cap is refused unread, a chunked body is counted as it
 * arrives and cancelled the moment it passes the cap. At most `maxBytes` are ever held.
 */
export type CappedBody = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too-large' };

export async function readCappedBody(request: Request, maxBytes: number): Promise<CappedBody> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    void request.body?.cancel().catch(() => {});
    return { ok: false, reason: 'too-large' };
  }
  const bytes = await readStreamCapped(request.body, maxBytes);
  return bytes ? { ok: true, bytes } : { ok: false, reason: 'too-large' };
}

/**
 * Reads a byte stream to its end, or to `maxBytes`: past that it is cancelled and the result is
 * null. Shared by inbound bodies (here) and outbound responses (http.ts).
 */
export async function readStreamCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array | null> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Not awaited: the rest is not wanted, and some streams settle a cancel only once drained.
      void reader.cancel().catch(() => {});
      return null;
    }
    // A chunk may be a view into a larger buffer (Node reads sockets in 64 KiB slabs); keeping
    // the view would keep the slab, several times the bytes counted. Keep a compact copy instead.
    chunks.push(value.byteLength === value.buffer.byteLength ? value : value.slice());
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

const decoder = new TextDecoder();

/** The body as UTF-8 text, or null when it passes the cap. */
export async function readCappedText(request: Request, maxBytes: number): Promise<string | null> {
  const body = await readCappedBody(request, maxBytes);
  return body.ok ? decoder.decode(body.bytes) : null;
}
