// What a CLI command answers, wherever it runs: in the CLI's own process (adapters/cli/session.ts)
// or in the service, over the local channel (adapters/node/cli-channel.ts). One function per kind
// of request, so both give the same answer byte for byte.
import { userInfo } from 'node:os';
import { handleCommand } from '../../src/chat/commands';
import type { Reply } from '../../src/chat/reply';
import { t } from '../../src/chat/texts';
import type { Actor } from '../../src/domain/access';
import type { Lang } from '../../src/domain/localized';
import type { ReadModel } from '../../src/services/read-model';
import { resolveModelName } from '../../src/services/models';
import { parseCaseList, reportJson, validateModels, ValidationInputError, type ValidationReportJson } from '../../src/services/validation';
import { JOBS } from '../../jobs/registry';

/** Whoever runs the CLI operates the machine and its database: an administrator. */
export function operator(): Actor {
  let name = 'operator';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): the generic name will do.
  }
  return { platform: 'cli', userId: name, workspace: null, isAdmin: async () => true };
}

/** The reply the CLI prints (also what the service's channel sends back). */
export function runCommand(rm: ReadModel, text: string, lang: Lang, runJob?: (name: string, by: Actor) => Promise<unknown> | null): Promise<Reply> {
  return handleCommand({ rm, lang, jobNames: JOBS.map((j) => j.name), actor: operator(), ...(runJob ? { runJob } : {}) }, text);
}

/** What `valider` gets back: the report, or the problems of the case list (naming lines). */
export type ValidationAnswer = { report: ValidationReportJson } | { problems: ValidationInputError['problems'] };

/** The validation as the CLI and the service's channel answer it. */
export function runValidation(rm: ReadModel, request: { text: string; format: 'csv' | 'json'; models?: string[] }): ValidationAnswer {
  const models = request.models?.map((m) => resolveModelName(rm, m)?.model.id ?? m);
  const unknown = (models ?? []).filter((m) => !rm.forModel(m));
  if (unknown.length > 0) return { problems: [{ line: null, message: { nb: t('nb').unknownModel(unknown.join(', '), rm.all().map((v) => v.model.id)), en: t('en').unknownModel(unknown.join(', '), rm.all().map((v) => v.model.id)) } }] };
  try {
    return { report: reportJson(validateModels(rm, parseCaseList(request.text, request.format), models ? { models } : {})) };
  } catch (err) {
    if (err instanceof ValidationInputError) return { problems: err.problems };
    throw err;
  }
}
