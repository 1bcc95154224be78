/**
 * Byte comparison whose time depends only on the lengths, never on where the inputs differ
 * (Workers and Node have no shared timingSafeEqual; node:crypto is not allowed in src/).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/**
 * Checks a presented secret against a set of secrets. Both sides are hashed first, so every
 * comparison is over 32 bytes whatever length was presented, and every secret is compared (no
 * early exit), so the time says nothing about which secret, or how much of one, matched.
 */
export function createSecretMatcher(secrets: readonly string[]): (given: string) => Promise<boolean> {
  const digests = Promise.all(secrets.map(sha256));
  return async (given) => {
    const [known, g] = await Promise.all([digests, sha256(given)]);
    let ok = false;
    for (const d of known) ok = constantTimeEqual(d, g) || ok;
    return ok;
  };
}
