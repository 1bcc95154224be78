import type { Platform } from '../../domain/alerts/types';
import { alertThread, claimDeliveries, getSubscription, markFailed, markRetry, markSent, pauseSubscription, setAlertThread, type ClaimedDelivery, type Subscription } from '../../store/repos/alerts';
import type { ServiceDeps } from '../deps';
import { recordAudit, SYSTEM_ACTOR } from '../audit';
import { deliveryOutcomes } from '../../lib/metrics';

export type { ClaimedDelivery } from '../../store/repos/alerts';

/** What a platform notifier reports (Slack's and Teams' results map onto it). */
export type SendOutcome =
  | { ok: true; messageId: string }
  | { ok: false; permanent: true; reason: string }
  | { ok: false; permanent: false; retryable: boolean; reason: string; retryAfterMs?: number };

/**
 * The chat platforms as the dispatcher sees them. `M` is the rendered message (chat's Reply): the
 * dispatcher only carries it from the renderer to the sender, so it does not depend on chat/.
 */
export interface AlertSender<M = unknown> {
  /**
   * Posts the reply to the place; `key` is the delivery's idempotency key, sent along with the
   * message. With `thread`, the alert is about one kommune: `parent` is the first message about it
   * there (reply in its thread), null when this one starts the thread.
   */
  send(platform: Platform, target: string, reply: M, key: string, thread?: { parent: string | null }): Promise<SendOutcome>;
  /**
   * After a crash between send and mark-sent: did a message with this key reach the place (or the
   * thread under `parent`) since `since`? Its message id, null when it did not, undefined when the
   * platform cannot tell (then the message is sent again: at least once).
   */
  findSent(platform: Platform, target: string, key: string, since: Date, parent?: string): Promise<string | null | undefined>;
  /** Tells whoever created the subscription that it was paused, and why (a DM where the platform allows). */
  notifyPaused(sub: Subscription, reason: string): Promise<void>;
}

/** Builds the message for a group of deliveries to one place (one event, or the held ones together). */
export type AlertRenderer<M = unknown> = (deliveries: readonly ClaimedDelivery[], lang: 'nb' | 'en', opts: { held: boolean }) => M;

export interface DispatchOptions<M = unknown> {
  worker: string;
  sender: AlertSender<M>;
  render: AlertRenderer<M>;
  /** How long a claim is held before another dispatcher may take it over. Default 5 minutes. */
  leaseMs?: number;
  /** Rows claimed per round. Default 500. */
  batch?: number;
  /** Rows of one place per round (a place takes about one message a second). Default 2. */
  perPlace?: number;
  /** Attempts before a delivery is given up as failed. Default 8. */
  maxAttempts?: number;
  /** Places served at once; each place's messages go out in order. Default 250. */
  concurrency?: number;
  /** Test hook: runs between claim and send, and between send and mark-sent (crash injection). */
  onStep?: (step: 'claimed' | 'sent', deliveries: readonly ClaimedDelivery[]) => Promise<void> | void;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  paused: number;
  recovered: number;
}

/** The delivery key a platform sees: the event's dedupe key plus the place (or subscription). */
export function deliveryKey(d: Pick<ClaimedDelivery, 'eventKey' | 'platform' | 'target'>): string {
  return `${d.eventKey}@${d.platform}:${d.target}`;
}

/** A thread older than this is not continued: the next alert about the kommune starts a new one. */
export const THREAD_MAX_AGE_MS = 90 * 24 * 60 * 60_000;

function backoffMs(attempts: number): number {
  return Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * One dispatcher round: claim due deliveries, send them per place (one message per event; held
 * deliveries of a place as one "mens du var borte" message), record the outcome. A delivery whose
 * previous claim ran out mid-send is first checked with the platform so it is not posted twice.
 */
export async function dispatchOnce<M>(deps: ServiceDeps, opts: DispatchOptions<M>): Promise<DispatchResult> {
  const now = deps.now();
  const res: DispatchResult = { claimed: 0, sent: 0, retried: 0, failed: 0, paused: 0, recovered: 0 };
  const claimed = await claimDeliveries(deps.db, opts.worker, now, opts.leaseMs ?? 5 * 60_000, opts.batch ?? 500, opts.perPlace ?? 2);
  res.claimed = claimed.length;
  if (claimed.length === 0) return res;
  await opts.onStep?.('claimed', claimed);

  const subs = new Map<number, Subscription | null>();
  const sub = async (id: number | null) => {
    if (id === null) return null;
    if (!subs.has(id)) subs.set(id, await getSubscription(deps.db, id));
    return subs.get(id) ?? null;
  };

  // Groups: held deliveries per place together, every other delivery on its own; in claim order.
  const groups: ClaimedDelivery[][] = [];
  const heldByPlace = new Map<string, ClaimedDelivery[]>();
  for (const d of claimed) {
    if (!d.held) {
      groups.push([d]);
      continue;
    }
    const key = `${d.platform}|${d.target}`;
    let g = heldByPlace.get(key);
    if (!g) {
      heldByPlace.set(key, (g = []));
      groups.push(g);
    }
    g.push(d);
  }

  const sendGroup = async (group: ClaimedDelivery[]): Promise<void> => {
    const first = group[0]!;
    const ids = group.map((d) => d.id);
    const key = group.length === 1 ? deliveryKey(first) : `held:${ids.join(',')}@${first.platform}:${first.target}`;
    const firstSub = await sub(first.subscriptionId);
    const live = await Promise.all(group.map(async (d) => (d.subscriptionId === null ? true : (await sub(d.subscriptionId))?.status === 'active')));
    if (live.some((l) => !l)) {
      // Unsubscribed or paused since the event: drop those rows, keep the rest for the next round.
      await markFailed(deps.db, ids.filter((_, i) => !live[i]), opts.worker, 'subscription no longer active');
      const rest = ids.filter((_, i) => live[i]);
      if (rest.length > 0) await markRetry(deps.db, rest, opts.worker, 'regrouped', now);
      return;
    }

    // One alert about a kommune: a follow-up replies in the thread of the first one about it here.
    const kommune = group.length === 1 && !first.held ? first.kommuneCode : null;
    const parent = kommune ? await alertThread(deps.db, first.platform, first.target, kommune, new Date(now.getTime() - THREAD_MAX_AGE_MS)) : null;
    const startsThread = async (messageId: string) => {
      if (kommune && messageId) await setAlertThread(deps.db, { platform: first.platform, target: first.target, kommuneCode: kommune, messageId, createdAt: deps.now() });
    };

    if (group.some((d) => d.reclaimed)) {
      const found = await opts.sender.findSent(first.platform, first.target, key, new Date(now.getTime() - 24 * 60 * 60_000), parent ?? undefined);
      if (typeof found === 'string') {
        // (`x += await y` would read x before the await and lose concurrent updates.)
        const n = await markSent(deps.db, ids, opts.worker, found, now);
        res.recovered += n;
        if (parent === null) await startsThread(found);
        return;
      }
    }

    const lang = firstSub?.lang ?? 'nb';
    const reply = opts.render(group, lang, { held: first.held });
    let outcome = await opts.sender.send(first.platform, first.target, reply, key, kommune ? { parent } : undefined);
    let rooted = parent === null;
    if (!outcome.ok && parent !== null && (outcome.permanent || !outcome.retryable)) {
      // The thread's first message may be gone: never lose the alert, post it at the top level
      // (it starts a new thread). A place that is really gone fails the same way there.
      deps.logger.info('alert thread not usable; posting at the top level', { platform: first.platform, target: first.target, reason: outcome.reason });
      outcome = await opts.sender.send(first.platform, first.target, reply, key, { parent: null });
      rooted = true;
    }
    if (outcome.ok) {
      await opts.onStep?.('sent', group);
      const n = await markSent(deps.db, ids, opts.worker, outcome.messageId, deps.now());
      // Recorded after mark-sent: a crash before it leaves no thread pointing at an unconfirmed message.
      if (rooted) await startsThread(outcome.messageId);
      res.sent += n;
      deliveryOutcomes.inc({ platform: first.platform, outcome: 'sent' }, ids.length);
      return;
    }
    if (outcome.permanent) {
      await markFailed(deps.db, ids, opts.worker, outcome.reason);
      res.failed += ids.length;
      deliveryOutcomes.inc({ platform: first.platform, outcome: 'permanent_failure' }, ids.length);
      for (const d of group) {
        const s = await sub(d.subscriptionId);
        if (s && (await pauseWithAudit(deps, s.id, s.target, outcome.reason))) {
          res.paused++;
          await opts.sender.notifyPaused(s, outcome.reason).catch((err: unknown) => deps.logger.warn('could not notify subscription creator', { subscription: s.id, error: err }));
        }
      }
      deps.logger.warn('delivery failed permanently; subscription paused', { platform: first.platform, target: first.target, reason: outcome.reason });
      return;
    }
    const attempts = Math.max(...group.map((d) => d.attempts));
    if (!outcome.retryable || attempts >= (opts.maxAttempts ?? 8)) {
      await markFailed(deps.db, ids, opts.worker, outcome.reason);
      res.failed += ids.length;
      deliveryOutcomes.inc({ platform: first.platform, outcome: 'failed' }, ids.length);
      deps.logger.warn('delivery failed', { platform: first.platform, target: first.target, reason: outcome.reason, attempts });
      return;
    }
    const wait = Math.max(outcome.retryAfterMs ?? 0, backoffMs(attempts));
    await markRetry(deps.db, ids, opts.worker, outcome.reason, new Date(deps.now().getTime() + wait));
    res.retried += ids.length;
    deliveryOutcomes.inc({ platform: first.platform, outcome: 'retry' }, ids.length);
  };

  // Places in parallel (each place's messages in order, paced by its notifier), at most `concurrency` at once.
  const byPlace = new Map<string, ClaimedDelivery[][]>();
  for (const g of groups) {
    const key = `${g[0]!.platform}|${g[0]!.target}`;
    const list = byPlace.get(key);
    if (list) list.push(g);
    else byPlace.set(key, [g]);
  }
  const queues = [...byPlace.values()];
  let next = 0;
  const workers = Array.from({ length: Math.min(opts.concurrency ?? 250, queues.length) }, async () => {
    while (next < queues.length) {
      const queue = queues[next++]!;
      for (const g of queue) await sendGroup(g);
    }
  });
  await Promise.all(workers);
  return res;
}

/** Rounds until nothing due is left (bounded), for the every-minute job. */
export async function dispatchDue<M>(deps: ServiceDeps, opts: DispatchOptions<M>, maxRounds = 20): Promise<DispatchResult> {
  const total: DispatchResult = { claimed: 0, sent: 0, retried: 0, failed: 0, paused: 0, recovered: 0 };
  for (let i = 0; i < maxRounds; i++) {
    const r = await dispatchOnce(deps, opts);
    for (const k of Object.keys(total) as (keyof DispatchResult)[]) total[k] += r[k];
    if (r.claimed === 0) break;
  }
  return total;
}

/** The dispatcher pauses a subscription whose place is gone; that is a state change like any other. */
function pauseWithAudit(deps: ServiceDeps, id: number, place: string, reason: string): Promise<boolean> {
  const at = deps.now();
  return deps.db.transaction(async (tx) => {
    const paused = await pauseSubscription(tx, id, reason, at);
    if (paused) await recordAudit(tx, at, SYSTEM_ACTOR, { action: 'subscription.pause', place, subject: `#${id}`, detail: { reason } });
    return paused;
  });
}
