/**
 * `tomte refresh` progress output: a live status line on a terminal (rewritten with \r), plain
 * lines otherwise, the resume time of a wait in Norwegian time.
 */
import { describe, expect, it } from 'vitest';
import { createRefreshProgress, osloHms, phaseText } from '../../../adapters/cli/progress';
import type { DatasetOutcome } from '../../../src/services/refresh-sources';

const done: DatasetOutcome = { dataset: '07459', title: 'Befolkning', outcome: 'updated', rowsChanged: 12, keptOverGaps: 0, periods: ['2021', '2026'], timings: { waits: 1, waitedMs: 1_200_000, fetchMs: 0, decodeMs: 0, storeMs: 0 } };
// 06:55 UTC in January = 07:55 in Oslo: the quiet window runs to 08:15.
const quietUntil = new Date('2026-01-15T07:15:00Z');

describe('refresh progress', () => {
  it('says in words what each phase does, waits with the Oslo time they end', () => {
    expect(osloHms(quietUntil)).toBe('08:15:00');
    expect(phaseText({ kind: 'waiting', reason: 'quiet-window', until: quietUntil })).toBe('venter: SSB publiserer kl. 08:00 (stille 07:55–08:15), fortsetter 08:15:00');
    expect(phaseText({ kind: 'waiting', reason: 'rate-limit', until: new Date('2026-01-15T06:01:02Z') })).toBe('venter på kvoten (kall per minutt), fortsetter 07:01:02');
    expect(phaseText({ kind: 'fetching', part: 2, parts: 3, method: 'POST' })).toBe('henter del 2/3 (POST)');
    expect(phaseText({ kind: 'decoding', part: 1, parts: 1, bytes: 3 * 1024 * 1024 })).toBe('dekoder 3.0 MB');
    expect(phaseText({ kind: 'storing', rows: 2142 })).toBe('lagrer 2142 rader');
  });

  it('on a terminal: one status line rewritten in place, then the outcome on its own line', () => {
    let out = '';
    const p = createRefreshProgress({ write: (t) => (out += t), isTTY: true, columns: 120 });
    p.onPhase('ssb', '07459', { kind: 'checking' });
    p.onPhase('ssb', '07459', { kind: 'waiting', reason: 'quiet-window', until: quietUntil });
    p.onPhase('ssb', '07459', { kind: 'fetching', method: 'GET' });
    p.onProgress('ssb', done);
    expect(out).toBe(
      '\nssb\n' +
        '\r\x1b[2K  07459                        sjekker om tabellen er endret' +
        '\r\x1b[2K  07459                        venter: SSB publiserer kl. 08:00 (stille 07:55–08:15), fortsetter 08:15:00' +
        '\r\x1b[2K  07459                        henter (GET)' +
        '\r\x1b[2K  07459                        oppdatert [2021–2026], 12 rader endret, ventet 1200 s\n',
    );
  });

  it('piped: a plain line per change of phase, no control characters', () => {
    let out = '';
    const p = createRefreshProgress({ write: (t) => (out += t), isTTY: false });
    p.onPhase('ssb', '14746', { kind: 'fetching', method: 'GET' });
    p.onPhase('ssb', '14746', { kind: 'fetching', method: 'GET' });
    p.onPhase('ssb', '14746', { kind: 'decoding', bytes: 2048 });
    p.onProgress('ssb', { ...done, dataset: '14746', timings: undefined });
    expect(out).toBe('\nssb\n  14746                        henter (GET)\n  14746                        dekoder 2 kB\n  14746                        oppdatert [2021–2026], 12 rader endret\n');
    // eslint-disable-next-line no-control-regex -- asserting their absence
    expect(out).not.toMatch(/[\r\x1b]/);
  });

  it('cuts the live line to the terminal width', () => {
    let out = '';
    const p = createRefreshProgress({ write: (t) => (out += t), isTTY: true, columns: 50 });
    p.onPhase('ssb', '07459', { kind: 'waiting', reason: 'quiet-window', until: quietUntil });
    expect(out.split('\r\x1b[2K').at(-1)!.length).toBeLessThanOrEqual(49);
  });
});
