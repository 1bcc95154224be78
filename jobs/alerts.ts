import { renderAlertGroup } from '../src/chat/alerts';
import type { Reply } from '../src/chat/reply';
import { dispatchDue, type AlertSender } from '../src/services/alerts/dispatch';
import { enqueueDueDigests } from '../src/services/alerts/digest';
import type { ServiceDeps } from '../src/services/deps';
import type { JobDefinition } from './run-job';

export interface AlertJobDeps extends ServiceDeps {
  sender: AlertSender<Reply>;
  /** This instance's name in delivery claims (host and pid on Node). */
  worker: string;
}

/** Sends what the outbox holds: new alerts, retries whose time has come, held alerts whose quiet hours ended. */
export function dispatchJob(name: string, cron: string): JobDefinition<AlertJobDeps> {
  return {
    name,
    cron,
    description: 'Send due alerts and digests from the outbox to Slack and Teams',
    async run(deps) {
      const r = await dispatchDue(deps, { worker: deps.worker, sender: deps.sender, render: renderAlertGroup });
      return { ...r };
    },
  };
}

/** Enqueues the weekly digests that are due (each subscription's own day, time and zone) and sends them. */
export function digestJob(name: string, cron: string): JobDefinition<AlertJobDeps> {
  return {
    name,
    cron,
    description: 'Weekly digests that are due (default Monday 08:00 Europe/Oslo)',
    async run(deps, ctx) {
      const queued = await enqueueDueDigests(deps, ctx.now);
      const sent = queued.enqueued > 0 ? await dispatchDue(deps, { worker: deps.worker, sender: deps.sender, render: renderAlertGroup }) : null;
      return { due: queued.due, enqueued: queued.enqueued, sent: sent?.sent ?? 0 };
    },
  };
}
