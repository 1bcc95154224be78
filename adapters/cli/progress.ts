import type { DatasetOutcome, RefreshPhase, SourceGroup } from '../../src/services/refresh-sources';

/**
 * `tomte refresh` progress: per dataset what it is doing — checking SSB's `updated` stamp, waiting
 * for the rate limiter or SSB's 07:55–08:15 quiet window (with the Oslo time it resumes), fetching,
 * decoding, storing — then its outcome. On a terminal one status line is rewritten in place; piped
 * to a file or a log, every change of phase is its own plain line.
 */
export interface ProgressOptions {
  write: (text: string) => void;
  /** A terminal: rewrite one status line; otherwise print plain lines. */
  isTTY: boolean;
  columns?: number;
}

const OUTCOME_TEXT: Record<DatasetOutcome['outcome'], string> = {
  updated: 'oppdatert',
  unchanged: 'uendret (samme «updated» hos kilden)',
  failed: 'FEILET',
  unreachable: 'utilgjengelig',
  'dry-run': 'prøvekjøring, ikke lagret',
};

let osloTime: Intl.DateTimeFormat | undefined;

/** HH:MM:SS in Norwegian time, as SSB's publishing times are given. */
export function osloHms(d: Date): string {
  osloTime ??= new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  return osloTime.format(d).replace(/\./g, ':');
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/** One phase in words (bokmål, as the CLI's other output). */
export function phaseText(p: RefreshPhase): string {
  const part = 'part' in p && p.parts && p.parts > 1 ? ` del ${p.part}/${p.parts}` : '';
  switch (p.kind) {
    case 'checking':
      return 'sjekker om tabellen er endret';
    case 'waiting':
      if (p.reason === 'quiet-window') return `venter: SSB publiserer kl. 08:00 (stille 07:55–08:15), fortsetter ${osloHms(p.until)}`;
      if (p.reason === 'rate-limit') return `venter på kvoten (kall per minutt), fortsetter ${osloHms(p.until)}`;
      return `venter før nytt forsøk, fortsetter ${osloHms(p.until)}`;
    case 'fetching':
      return `henter${part}${p.method ? ` (${p.method})` : ''}`;
    case 'decoding':
      return `dekoder${part}${p.bytes !== undefined ? ` ${kb(p.bytes)}` : ''}`;
    case 'storing':
      return `lagrer ${p.rows} rader`;
  }
}

export function outcomeLine(d: DatasetOutcome): string {
  const extra = d.rowsChanged > 0 ? `, ${d.rowsChanged} rader endret` : '';
  const periods = d.periods.length > 0 ? ` [${d.periods[0]}–${d.periods[d.periods.length - 1]}]` : '';
  const waited = d.timings && d.timings.waitedMs >= 1000 ? `, ventet ${Math.round(d.timings.waitedMs / 1000)} s` : '';
  const error = d.error && d.outcome === 'failed' ? `: ${d.error}` : '';
  return `  ${d.dataset.padEnd(28)} ${OUTCOME_TEXT[d.outcome]}${periods}${extra}${waited}${error}`;
}

export function createRefreshProgress(opts: ProgressOptions) {
  const width = Math.max(40, (opts.columns ?? 100) - 1);
  let group: SourceGroup | null = null;
  let live = false;
  let last = '';
  const heading = (source: SourceGroup) => {
    if (source === group) return;
    clear();
    group = source;
    opts.write(`\n${source}\n`);
  };
  const clear = () => {
    if (live) opts.write('\r\x1b[2K');
    live = false;
  };
  return {
    onPhase(source: SourceGroup, dataset: string, phase: RefreshPhase) {
      heading(source);
      const line = `  ${dataset.padEnd(28)} ${phaseText(phase)}`;
      if (opts.isTTY) {
        opts.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
        live = true;
      } else if (line !== last) {
        // Plain lines: one per change of phase (a repeated "fetching" of the same part is not news).
        opts.write(`${line}\n`);
      }
      last = line;
    },
    onProgress(source: SourceGroup, d: DatasetOutcome) {
      heading(source);
      clear();
      last = '';
      opts.write(`${outcomeLine(d)}\n`);
    },
  };
}
