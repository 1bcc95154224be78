/**
 * Fuzzing the chat command path (issue 9, started): random and mutated inputs — Unicode, control
 * characters, very long strings, SQL-looking text, near-miss keywords — through every parser and
 * the real handler on the scored snapshot. Never an exception, always a Reply with a title and a
 * fallback. Bounded here (2,000 inputs); `TOMTE_FUZZ_RUNS=100000` runs the large version (test/support/fuzz.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleCommand, parseCommand, parseLotCommand, parseSubscriptionCommand } from '../../src/chat/commands';
import { useScoredRuntime } from '../support/scored-runtime';
import { fuzzRuns } from '../support/fuzz';

const RUNS = fuzzRuns(2000);

const KEYWORDS = ['kommune', 'topp', 'tier', 'sammenlign', 'hvorfor', 'kilder', 'status', 'hjelp', 'abonner', 'avslutt', 'abonnementer', 'stille', 'demp', 'opphev demping', 'test', 'jobber', 'tomter', 'tomtekilder', 'tomtekilde legg til', 'municipality', 'top', 'compare', 'subscribe', 'unsubscribe', 'mute', 'lots'];
const WORDS = ['Bodø', 'bodo', '1804', '0301', 'Guovdageaidnu', 'Trondheim - Tråante', 'fylke', 'Nordland', 'unntatt', 'tier1', 'digest', 'mandag', '25:99', '22-07', 'min', '2 mål', 'tidssone', 'Mars/Olympus', 'i', ',', 'og', "'; DROP TABLE scores; --", '<at>tomte</at>', '&amp;', '\u0000', '\u202e', '🏠', '\uD800', 'x'.repeat(600)];

/** Commands built from real keywords and words, then mutated, plus arbitrary Unicode. */
const input = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 2000 }),
  fc.tuple(fc.constantFrom(...KEYWORDS), fc.array(fc.constantFrom(...WORDS), { maxLength: 6 })).map(([k, ws]) => [k, ...ws].join(' ')),
  fc
    .tuple(fc.constantFrom(...KEYWORDS), fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }), fc.nat(40), fc.string({ unit: 'binary', maxLength: 3 }))
    .map(([k, ws, at, junk]) => {
      const s = [k, ...ws].join(' ');
      const i = Math.min(at, s.length);
      return s.slice(0, i) + junk + s.slice(i);
    }),
);

describe('command grammar fuzz', () => {
  it(`parsers never throw (${RUNS} inputs)`, () => {
    fc.assert(
      fc.property(input, (text) => {
        expect(() => parseCommand(text)).not.toThrow();
        expect(() => parseSubscriptionCommand(text)).not.toThrow();
        expect(() => parseLotCommand(text)).not.toThrow();
        expect(parseCommand(text).name).toBeTypeOf('string');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('command handler fuzz on the scored snapshot', () => {
  const runtime = useScoredRuntime();

  it(`every input gets a Reply with a title and a fallback (${Math.ceil(RUNS / 10)} inputs, no place: the CLI path)`, async () => {
    await fc.assert(
      fc.asyncProperty(input, async (text) => {
        const reply = await handleCommand({ rm: runtime.rm, lang: 'nb' }, text);
        expect(reply.title.length).toBeGreaterThan(0);
        expect(reply.fallback.length).toBeGreaterThan(0);
        expect(reply.title).not.toMatch(/noe gikk galt/i);
      }),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });

  it(`the same in a Slack channel, where subscription commands write to the database (${Math.ceil(RUNS / 10)} inputs)`, async () => {
    const place = { platform: 'slack' as const, target: 'C0FUZZ', targetName: 'fuzz', user: 'U0FUZZ' };
    await fc.assert(
      fc.asyncProperty(input, async (text) => {
        const reply = await handleCommand({ rm: runtime.rm, lang: 'nb', place, jobNames: ['dispatch'] }, text);
        expect(reply.title.length).toBeGreaterThan(0);
        expect(reply.fallback.length).toBeGreaterThan(0);
        // Nothing a user types is answered with the internal-error text.
        expect(reply.title).not.toMatch(/noe gikk galt/i);
      }),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });
});
