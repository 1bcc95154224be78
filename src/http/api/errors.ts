import type { Context } from 'hono';
import type { z } from '@hono/zod-openapi';

/** Error bodies of the REST API. Messages are English: the API's users are analysts and systems. */

export interface ParamIssue {
  parameter: string;
  in: 'query' | 'path' | 'body';
  message: string;
}

export function badRequest(c: Context, issues: ParamIssue[]): Response {
  return c.json(badRequestBody(issues), 400);
}

/** The 400 body naming each problem (for handlers that must return a typed response). */
export function badRequestBody(issues: ParamIssue[]): { code: 'BAD_PARAMETER'; message: string; issues: ParamIssue[] } {
  const detail = issues.map((i) => `${i.parameter} (${i.message})`).join('; ');
  const message = issues.length === 1 ? `Invalid parameter ${issues[0]!.parameter}: ${issues[0]!.message}` : `Invalid parameters: ${detail}`;
  return { code: 'BAD_PARAMETER', message, issues };
}

function describeIssue(issue: z.core.$ZodIssue, repeated: boolean): string {
  switch (issue.code) {
    case 'invalid_type':
      return repeated ? 'given more than once; give it once' : `must be a ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      // Our own patterns carry a message; zod's default would print the regex.
      return issue.message.startsWith('Invalid') ? `has the wrong format (${issue.format})` : issue.message;
    default:
      return issue.message;
  }
}

/** Turns a failed query or path validation into issues that name each parameter. */
export function paramIssues(c: Context, target: string, error: z.ZodError): ParamIssue[] {
  const where = target === 'param' ? 'path' : 'query';
  const out: ParamIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ parameter: key, in: where, message: 'unknown parameter for this route (see /docs)' });
      continue;
    }
    const parameter = String(issue.path[0] ?? '(request)');
    const repeated = where === 'query' && (c.req.queries(parameter)?.length ?? 0) > 1;
    out.push({ parameter, in: where, message: describeIssue(issue, repeated) });
  }
  return out;
}
