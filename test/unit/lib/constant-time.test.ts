import { describe, expect, it } from 'vitest';
import { constantTimeEqual, createSecretMatcher } from '../../../src/lib/constant-time';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('constantTimeEqual', () => {
  it('is true only for the same bytes', () => {
    expect(constantTimeEqual(bytes('abc'), bytes('abc'))).toBe(true);
    expect(constantTimeEqual(bytes('abc'), bytes('abd'))).toBe(false);
    expect(constantTimeEqual(bytes('abc'), bytes('abcd'))).toBe(false);
    expect(constantTimeEqual(bytes(''), bytes(''))).toBe(true);
    // A trailing zero byte is not the same as a shorter input.
    expect(constantTimeEqual(new Uint8Array([1, 0]), new Uint8Array([1]))).toBe(false);
  });
});

describe('createSecretMatcher', () => {
  it('accepts any configured secret and nothing else', async () => {
    const a = 'a'.repeat(24);
    const b = 'token-b-0123456789abcdefghij';
    const matches = createSecretMatcher([a, b]);
    expect(await matches(a)).toBe(true);
    expect(await matches(b)).toBe(true);
    expect(await matches(a.slice(1))).toBe(false);
    expect(await matches(`${a}x`)).toBe(false);
    expect(await matches('')).toBe(false);
  });

  it('with no secrets, nothing matches', async () => {
    expect(await createSecretMatcher([])('')).toBe(false);
  });
});
