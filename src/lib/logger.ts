/** A structured logger: one JSON object per line, fixed messages with data in fields. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof LEVELS;

/**
 * Writes JSON lines through `write` (console on both runtimes). Any configured secret that
 * appears in a field or message is replaced, so secrets never reach the logs.
 */
/** time, level and msg come first and cannot be overwritten by a field of the same name. */
function record(level: LogLevel, msg: string, fields?: Record<string, unknown>): Record<string, unknown> {
  const time = new Date().toISOString();
  const rec: Record<string, unknown> = { time, level, msg, ...fields };
  rec.time = time;
  rec.level = level;
  rec.msg = msg;
  return rec;
}

/**
 * An error as a log field: name, message, code, and its cause chain (drizzle's "Failed query"
 * hides the real reason, a refused password or a refused connection, in `cause`).
 */
function errorFields(err: Error, depth = 0): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  const cause = err.cause;
  return {
    name: err.name,
    message: err.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(cause !== undefined && depth < 4 ? { cause: cause instanceof Error ? errorFields(cause, depth + 1) : String(cause) } : {}),
  };
}

export function createLogger(opts: { level: LogLevel; secrets?: readonly (string | undefined)[]; write?: (line: string) => void }): Logger {
  const secrets = (opts.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 6);
  const write = opts.write ?? ((line: string) => console.log(line));
  const min = LEVELS[opts.level];
  const redact = (s: string) => secrets.reduce((acc, sec) => acc.split(sec).join('[redacted]'), s);
  const log = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < min) return;
    // Redact each string before serialising: JSON escaping would hide a secret with quotes or backslashes.
    const line = JSON.stringify(record(level, msg, fields), (_k, v: unknown) => {
      if (v instanceof Error) return errorFields(v);
      if (secrets.length === 0) return v;
      if (typeof v === 'string') return redact(v);
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k), x]));
      }
      return v;
    });
    write(line);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
