import { describe, expect, it } from 'vitest';
import { fixedTimeEqual, createSecretMatcher } from '../../../src/lib/constant-time';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('fixedTimeEqual', () => {
  it('is true only for the same bytes', () => {
    expect(fixedTimeEqual(bytes('abc'), bytes('abc'))).toBe(true);
    expect(fixedTimeEqual(bytes('abc'), bytes('abd'))).toBe(false);
    expect(fixedTimeEqual(bytes('abc'), bytes('abcd'))).toBe(false);
    expect(fixedTimeEqual(bytes(''), bytes(''))).toBe(true);
    expect(fixedTimeEqual(bytes('abcd'), bytes('abc'))).toBe(false);
    // A trailing zero byte is not the same as a shorter input, either way round.
    expect(fixedTimeEqual(new Uint8Array([1, 0]), new Uint8Array([1]))).toBe(false);
    expect(fixedTimeEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });
});

describe('createSecretMatcher', () => {
  it('accepts any configured secret and nothing else', () => {
    const a = 'a'.repeat(24);
    const b = 'token-b-0123456789abcdefghij';
    const matches = createSecretMatcher([a, b]);
    expect(matches(a)).toBe(true);
    expect(matches(b)).toBe(true);
    expect(matches(a.slice(1))).toBe(false);
    expect(matches(`${a}x`)).toBe(false);
    expect(matches('')).toBe(false);
  });

  it('with no secrets, nothing matches', () => {
    expect(createSecretMatcher([])('')).toBe(false);
  });
});
