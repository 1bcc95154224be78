import type { Actor } from '../domain/access';
import type { Lang } from '../domain/localized';
import { latestAudit, recordAudit } from '../services/audit';
import type { ReadModel } from '../services/read-model';
import { actorOf, adminOnlyReply, auditActorOf } from './access';
import type { Reply } from './reply';
import { jobsReply } from './subscriptions/handlers';
import type { ChatPlace } from '../services/subscriptions';

/**
 * Commands for administrators: `jobber` (the last run of each job), `kjør <jobb>` (run one now)
 * and `logg` (the latest changes in the audit trail). Everyone else gets a polite refusal.
 */
export type AdminCommand =
  | { name: 'jobber'; lang: Lang | null }
  | { name: 'kjor'; lang: Lang | null; job: string }
  | { name: 'logg'; lang: Lang | null };

/** Parses an admin command's arguments; the head word was matched by the command table (./commands.ts). */
export function parseAdmin(name: AdminCommand['name'], lang: Lang | null, args: string[]): AdminCommand | null {
  const rest = args.join(' ').toLowerCase();
  switch (name) {
    case 'jobber':
      return rest === '' ? { name, lang } : null;
    case 'logg':
      // "audit log" in English.
      return rest === '' || (lang === 'en' && rest === 'log') ? { name, lang } : null;
    case 'kjor':
      return /^\S+$/.test(rest) ? { name, lang, job: rest } : null;
  }
}

export interface AdminContext {
  rm: ReadModel;
  place: ChatPlace | null;
  actor: Actor | undefined;
  jobNames: readonly string[];
  /** Starts a job now (its slot claim still applies); null where jobs cannot run (starting up, the Worker). */
  runJob?: (name: string, by: Actor) => Promise<unknown> | null;
}

const LOG_ROWS = 20;

export async function handleAdminCommand(ctx: AdminContext, cmd: AdminCommand, lang: Lang): Promise<Reply> {
  const nb = lang === 'nb';
  const actor = actorOf(ctx.actor, ctx.place);
  const admin = actor !== null && (await actor.isAdmin());
  switch (cmd.name) {
    case 'jobber':
      if (!admin) return adminOnlyReply(lang, 'jobs:view');
      return jobsReply(ctx.rm, ctx.jobNames, lang);
    case 'kjor': {
      if (!admin || !actor) return adminOnlyReply(lang, 'job:run');
      if (!ctx.jobNames.includes(cmd.job)) {
        const title = nb ? `Ukjent jobb «${cmd.job}». Jobbene er ${ctx.jobNames.join(', ')}.` : `Unknown job "${cmd.job}". The jobs are ${ctx.jobNames.join(', ')}.`;
        return { kind: 'error', lang, title, sections: [], actions: [], fallback: title };
      }
      const started = ctx.runJob?.(cmd.job, actor) ?? null;
      if (started) await recordAudit(ctx.rm.deps.db, ctx.rm.deps.now(), auditActorOf(actor), { action: 'job.run', place: ctx.place?.target ?? null, subject: cmd.job });
      if (!started) {
        const title = nb ? 'Jobber kan ikke startes herfra akkurat nå.' : 'Jobs cannot be started from here right now.';
        return { kind: 'error', lang, title, sections: [], actions: [], fallback: title };
      }
      // Not awaited: a refresh takes longer than a chat surface waits. `jobber` shows the outcome.
      started.catch((err: unknown) => ctx.rm.deps.logger.error('job started from chat failed', { job: cmd.job, error: err }));
      const title = nb ? `Startet ${cmd.job}` : `Started ${cmd.job}`;
      return { kind: 'sources', lang, title, sections: [{ type: 'text', text: nb ? 'Se resultatet med «jobber» om litt.' : 'See the outcome with "jobs" in a moment.' }], actions: [{ kind: 'command', label: nb ? 'Jobber' : 'Jobs', command: 'jobber' }], fallback: title };
    }
    case 'logg': {
      if (!admin) return adminOnlyReply(lang, 'audit:view');
      const entries = await latestAudit(ctx.rm.deps, LOG_ROWS);
      const title = nb ? `Endringslogg (siste ${entries.length})` : `Audit log (latest ${entries.length})`;
      const rows = entries.map((e) => [
        `${e.at.toISOString().slice(0, 16).replace('T', ' ')}`,
        `${e.platform}:${e.actor}${e.workspace ? `@${e.workspace}` : ''}`,
        e.place ?? '–',
        e.action,
        e.subject ?? '–',
        summarise(e.detail),
      ]);
      return {
        kind: 'sources',
        lang,
        title,
        sections:
          entries.length === 0
            ? [{ type: 'text', text: nb ? 'Ingen endringer ennå.' : 'No changes yet.' }]
            : [{ type: 'table', columns: [{ label: nb ? 'Når (UTC)' : 'When (UTC)' }, { label: nb ? 'Hvem' : 'Who' }, { label: nb ? 'Hvor' : 'Where' }, { label: nb ? 'Hva' : 'What' }, { label: nb ? 'Gjelder' : 'Subject' }, { label: 'Detaljer' }], rows }],
        actions: [],
        fallback: `${title}: ${rows.map((r) => `${r[0]} ${r[1]} ${r[3]} ${r[4]}`).join('; ')}`,
      };
    }
  }
}

/** One short line of the change's detail for the table. */
function summarise(detail: Record<string, unknown>): string {
  const text = Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
