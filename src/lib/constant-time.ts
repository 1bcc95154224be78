/**
 * Secret comparison without timing leaks, for Node and Workers alike (node:crypto's
 * timingSafeEqual is not allowed in src/, and Web Crypto has no synchronous equivalent).
 */

/**
 * True when `given` holds the same bytes as `known`. The loop runs over `known` only and never
 * stops early, so the time depends on neither the contents nor the length of `given`.
 */
export function fixedTimeEqual(known: Uint8Array, given: Uint8Array): boolean {
  let diff = known.length ^ given.length;
  for (let i = 0; i < known.length; i++) diff |= known[i]! ^ (given[i] ?? 0);
  return diff === 0;
}

/**
 * Checks a presented secret against a set of secrets. Every secret is compared (no early exit),
 * so the time says nothing about which secret, or how much of one, matched. Synchronous: hashing
 * both sides first (Web Crypto is async only) cost ~35 µs a request in bench/api.bench.ts.
 */
export function createSecretMatcher(secrets: readonly string[]): (given: string) => boolean {
  const encoder = new TextEncoder();
  const known = secrets.map((s) => encoder.encode(s));
  return (given) => {
    const g = encoder.encode(given);
    let ok = false;
    for (const k of known) ok = fixedTimeEqual(k, g) || ok;
    return ok;
  };
}
