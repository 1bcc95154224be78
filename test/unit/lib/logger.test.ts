import { describe, expect, it } from 'vitest';
import { createLogger, silentLogger, type LogLevel } from '../../../src/lib/logger';

function capture(level: LogLevel, secrets?: readonly (string | undefined)[]) {
  const lines: string[] = [];
  const logger = createLogger({ level, ...(secrets ? { secrets } : {}), write: (l) => lines.push(l) });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { logger, lines, records } = capture('debug');
    const before = Date.now();
    logger.info('snapshot loaded', { kommuner: 357, observations: 23_206, ok: true, skipped: null, tags: ['a', 'b'] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const [r] = records();
    expect(r).toMatchObject({ level: 'info', msg: 'snapshot loaded', kommuner: 357, observations: 23_206, ok: true, skipped: null, tags: ['a', 'b'] });
    expect(r!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const t = Date.parse(r!.time as string);
    expect(t).toBeGreaterThanOrEqual(before - 1);
    expect(t).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('writes a message without fields', () => {
    const { logger, records } = capture('debug');
    logger.warn('plain');
    expect(Object.keys(records()[0]!).sort()).toEqual(['level', 'msg', 'time']);
  });

  it('a multi-line message stays on one line', () => {
    const { logger, lines, records } = capture('debug');
    logger.error('first\nsecond', { stack: 'a\nb' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split('\n')).toHaveLength(1);
    expect(records()[0]).toMatchObject({ msg: 'first\nsecond', stack: 'a\nb' });
  });

  it.each<[LogLevel, string[]]>([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ])('level %s writes %j', (level, expected) => {
    const { logger, records } = capture(level);
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(records().map((r) => r.level)).toEqual(expected);
    expect(records().map((r) => r.msg)).toEqual(expected.map((l) => l[0]));
  });

  it('redacts secrets from the message and from fields, however deeply nested', () => {
    const token = 'xoxb-1111-2222-abcdef';
    const password = 'hunter2-very-secret';
    const { logger, lines, records } = capture('debug', [token, password, undefined]);
    logger.warn(`posting with ${token}`, {
      header: `Bearer ${token}`,
      nested: { deeper: { list: ['ok', `pw=${password}`, { again: token }] } },
      url: `postgres://tomte:${password}@db:5432/tomte`,
      safe: 'nothing to hide',
    });
    const line = lines[0]!;
    expect(line).not.toContain(token);
    expect(line).not.toContain(password);
    const r = records()[0]!;
    expect(r.msg).toBe('posting with [redacted]');
    expect(r.header).toBe('Bearer [redacted]');
    expect(r.nested).toEqual({ deeper: { list: ['ok', 'pw=[redacted]', { again: '[redacted]' }] } });
    expect(r.url).toBe('postgres://tomte:[redacted]@db:5432/tomte');
    expect(r.safe).toBe('nothing to hide');
  });

  it('redacts a secret that appears several times and in field names', () => {
    const secret = 'abcdef-secret';
    const { logger, lines } = capture('info', [secret]);
    logger.info(`${secret}${secret}`, { [secret]: secret });
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]!.match(/\[redacted\]/g)).toHaveLength(4);
  });

  it('ignores unset and very short secrets so ordinary words are not redacted', () => {
    const { logger, records } = capture('info', [undefined, '', 'a', 'info']);
    logger.info('info about a kommune', { level2: 'a' });
    expect(records()[0]).toMatchObject({ level: 'info', msg: 'info about a kommune', level2: 'a' });
  });

  it('redacts a secret containing characters JSON escapes (quote, backslash)', () => {
    const secret = 'pa"ss\\word-123';
    const { logger, lines } = capture('info', [secret]);
    logger.info('connecting', { password: secret });
    const r = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(r.password).not.toBe(secret);
    expect(lines[0]).not.toContain(JSON.stringify(secret).slice(1, -1));
  });

  it('serialises Error objects with name and message, also nested, and redacts them', () => {
    const secret = 'xoxb-leaky-token-42';
    const { logger, records } = capture('debug', [secret]);
    const err = new TypeError(`bad token ${secret}`);
    logger.error('command failed', { error: err, context: { cause: new RangeError('out of range') } });
    const r = records()[0]!;
    expect(r.error).toEqual({ name: 'TypeError', message: 'bad token [redacted]' });
    expect(r.context).toEqual({ cause: { name: 'RangeError', message: 'out of range' } });
  });

  it('serialises a custom error class with its name', () => {
    class DatabaseLockedError extends Error {
      override readonly name = 'DatabaseLockedError';
    }
    const { logger, records } = capture('error');
    logger.error('start-up failed', { error: new DatabaseLockedError('locked by 42') });
    expect(records()[0]!.error).toEqual({ name: 'DatabaseLockedError', message: 'locked by 42' });
  });

  it('writes through console.log by default', () => {
    const original = console.log;
    const seen: unknown[] = [];
    console.log = (...args: unknown[]) => void seen.push(...args);
    try {
      createLogger({ level: 'info' }).info('to the console', { n: 1 });
    } finally {
      console.log = original;
    }
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0] as string)).toMatchObject({ level: 'info', msg: 'to the console', n: 1 });
  });
});

describe('errors in log lines', () => {
  it('keep their cause chain and codes (drizzle hides the reason behind "Failed query")', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', secrets: ['pw-secret-1234'], write: (l) => lines.push(l) });
    const pg = Object.assign(new Error('password authentication failed for user "tomte" (pw-secret-1234)'), { code: '28P01' });
    const drizzle = new Error('Failed query: select pg_advisory_lock($1)\nparams: 7461746533', { cause: pg });
    logger.error('start-up failed', { error: new Error('Could not open and migrate the PostgreSQL database', { cause: drizzle }) });
    const { error } = JSON.parse(lines[0]!) as { error: { message: string; cause: { message: string; cause: { message: string; code: string } } } };
    expect(error.message).toBe('Could not open and migrate the PostgreSQL database');
    expect(error.cause.message).toMatch(/^Failed query: select pg_advisory_lock/);
    expect(error.cause.cause).toMatchObject({ code: '28P01', message: expect.stringMatching(/password authentication failed/) });
    expect(lines[0]).not.toContain('pw-secret-1234');
  });

  it('a cycle or a very deep chain is cut, not followed forever', () => {
    const lines: string[] = [];
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    createLogger({ level: 'info', write: (l) => lines.push(l) }).error('loop', { error: a });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(1000);
  });
});

describe('silentLogger', () => {
  it('accepts every level and writes nothing', () => {
    const original = console.log;
    let calls = 0;
    console.log = () => void calls++;
    try {
      silentLogger.debug('x');
      silentLogger.info('x', { a: 1 });
      silentLogger.warn('x');
      silentLogger.error('x', { error: new Error('e') });
    } finally {
      console.log = original;
    }
    expect(calls).toBe(0);
  });
});
