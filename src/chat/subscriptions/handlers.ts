import { pauseReasonText } from './pause-reason';
import { mayConfigurePlace, mayEndSubscription, type Actor } from '../../domain/access';
import type { DigestSchedule, SubscriptionFilter, SubscriptionKind } from '../../domain/alerts/types';
import type { Lang } from '../../domain/localized';
import type { ReadModel } from '../../services/read-model';
import {
  latestJobRuns,
  mute,
  placeMutes,
  placeSubscriptions,
  sendTestAlerts,
  setPlaceQuietHours,
  setSubscriptionPaused,
  subscriptionById,
  subscribe,
  unmute,
  unsubscribe,
  type ChatPlace,
  type Subscription,
} from '../../services/subscriptions';
import { actorOf, auditActorOf, notYourPlaceReply, notYoursReply } from '../access';
import { newSubscriptionAction, unsubscribeAction, type Action, type Reply } from '../reply';
import { describeSubscription, invalidSubscriptionText, type PlaceNames } from './describe';
import type { SubscriptionCommand } from './grammar';
import { resolveModelName } from '../../services/models';
import { t } from '../texts';

/**
 * Answers subscription commands for a place (a Slack channel or DM, a Teams conversation). Names
 * are resolved against the registry; anything unknown is answered with what was not found and no
 * change is made.
 */

const say = (lang: Lang, title: string, extra: Partial<Reply> = {}): Reply => ({ kind: 'subscriptions', lang, title, sections: [], actions: [], fallback: title, ...extra });
const problem = (lang: Lang, title: string): Reply => ({ kind: 'error', lang, title, sections: [], actions: [], fallback: title });

function names(rm: ReadModel): PlaceNames {
  return {
    kommune: (nr) => rm.registry.byCode(nr)?.nameNorwegian ?? nr,
    fylke: (nr) => rm.registry.counties().find((c) => c.code === nr)?.name ?? nr,
  };
}

type Resolved = { ok: true; codes: string[] } | { ok: false; reply: Reply };

function resolveKommuner(rm: ReadModel, raw: readonly string[], lang: Lang): Resolved {
  const codes: string[] = [];
  for (const q of raw) {
    const r = rm.registry.resolve(q);
    if (r.kind === 'found') {
      codes.push(r.kommune.code);
      continue;
    }
    const nb = lang === 'nb';
    const options = (r.kind === 'ambiguous' ? r.candidates : r.suggestions).slice(0, 5).map((k) => `${k.code} ${k.nameNorwegian}`);
    const title = r.kind === 'ambiguous'
      ? nb ? `«${q}» kan være flere kommuner: ${options.join(', ')}. Bruk nummeret.` : `"${q}" matches several kommuner: ${options.join(', ')}. Use the number.`
      : nb ? `Fant ingen kommune «${q}».${options.length ? ` Mente du ${options.join(', ')}?` : ''}` : `No kommune "${q}".${options.length ? ` Did you mean ${options.join(', ')}?` : ''}`;
    return { ok: false, reply: problem(lang, title) };
  }
  return { ok: true, codes };
}

function resolveCounties(rm: ReadModel, raw: readonly string[], lang: Lang): Resolved {
  const codes: string[] = [];
  for (const q of raw) {
    const c = rm.registry.resolveCounty(q);
    if (!c) {
      const known = rm.registry.counties().map((x) => x.name).join(', ');
      return { ok: false, reply: problem(lang, lang === 'nb' ? `Fant ikke fylket «${q}». Fylkene er: ${known}.` : `No county "${q}". The counties are: ${known}.`) };
    }
    codes.push(c.code);
  }
  return { ok: true, codes };
}

function listReply(rm: ReadModel, subs: readonly Subscription[], mutes: readonly { kommuneCode: string; until: Date }[], lang: Lang): Reply {
  const nb = lang === 'nb';
  if (subs.length === 0 && mutes.length === 0) {
    return say(lang, nb ? 'Ingen abonnementer her ennå' : 'No subscriptions here yet', {
      sections: [{ type: 'text', text: nb ? 'Prøv «abonner tier1» for varsel når en kommune går inn i Tier 1, eller «abonner digest» for et ukentlig sammendrag.' : 'Try "subscribe tier1" for an alert when a kommune enters Tier 1, or "subscribe digest" for a weekly summary.' }],
      actions: [newSubscriptionAction(lang), { kind: 'command', label: nb ? 'Abonner på Tier 1' : 'Subscribe to Tier 1', command: nb ? 'abonner tier1' : 'subscribe tier1' }],
    });
  }
  const n = names(rm);
  const rows = subs.map((s) => [
    `#${s.id}`,
    describeSubscription(s, n, lang),
    s.status === 'active' ? (nb ? 'aktiv' : 'active') : `${nb ? 'pause' : 'paused'}: ${pauseReasonText(s.statusReason, lang)}`,
    `${s.createdBy} ${s.createdAt.toISOString().slice(0, 10)}`,
  ]);
  const sections: Reply['sections'] = [
    { type: 'table', columns: [{ label: 'Nr' }, { label: nb ? 'Hva' : 'What' }, { label: 'Status' }, { label: nb ? 'Laget av' : 'Created by' }], rows },
  ];
  if (mutes.length > 0) {
    sections.push({ type: 'list', title: nb ? 'Dempet' : 'Muted', items: mutes.map((m) => `${m.kommuneCode} ${n.kommune(m.kommuneCode)} ${nb ? 'til' : 'until'} ${m.until.toISOString().slice(0, 10)}`) });
  }
  const actions: Action[] = subs.slice(0, 5).map((s) => unsubscribeAction(s.id, lang, `${nb ? 'Avslutt' : 'Unsubscribe'} #${s.id}`));
  const title = nb ? `Abonnementer her (${subs.length})` : `Subscriptions here (${subs.length})`;
  return say(lang, title, { sections, actions, fallback: `${title}: ${rows.map((r) => `${r[0]} ${r[1]}`).join(' ')}` });
}

const SAMPLE_KOMMUNE = '1804';

/**
 * Handles a parsed subscription command; `place` is null outside Slack and Teams (the CLI). Anyone
 * may subscribe; ending a subscription, quiet hours and mutes follow domain/access.ts.
 */
export async function handleSubscriptionCommand(rm: ReadModel, place: ChatPlace | null, cmd: SubscriptionCommand, lang: Lang, sender?: Actor): Promise<Reply> {
  const nb = lang === 'nb';
  if (cmd.name === 'invalid-subscription') {
    const reply = problem(lang, invalidSubscriptionText(cmd.problem, lang));
    // A bare `abonner` gets the form's button where the surface has forms.
    return cmd.problem.k === 'missing-what' && cmd.problem.command === 'subscribe' ? { ...reply, actions: [newSubscriptionAction(lang)] } : reply;
  }
  const actor = actorOf(sender, place);
  if (!place || !actor) {
    return problem(lang, nb ? 'Abonnementer, demping og stille timer gjelder en kanal i Slack eller Teams: skriv kommandoen der.' : 'Subscriptions, mutes and quiet hours belong to a Slack or Teams channel: type the command there.');
  }
  const deps = rm.deps;
  const n = names(rm);
  const who = auditActorOf(actor);
  /** Quiet hours and mutes: an administrator, or whoever made every subscription here. */
  const mayConfigure = async (): Promise<boolean> => {
    const creators = (await placeSubscriptions(deps, place)).map((s) => s.createdBy);
    return mayConfigurePlace(actor.userId, false, creators) || (await actor.isAdmin());
  };

  const created = async (kind: SubscriptionKind, filter: SubscriptionFilter, digest: DigestSchedule | null): Promise<Reply> => {
    const { subscription, created } = await subscribe(deps, place, { kind, filter, digest, lang }, who);
    const text = describeSubscription(subscription, n, lang);
    const title = created ? (nb ? `Abonnement #${subscription.id} er opprettet` : `Subscription #${subscription.id} created`) : nb ? `Dette abonnementet finnes allerede (#${subscription.id})` : `This subscription already exists (#${subscription.id})`;
    return say(lang, title, {
      sections: [{ type: 'text', text }, { type: 'context', text: nb ? `Avslutt med «avslutt ${subscription.id}». Se alle med «abonnementer».` : `End it with "unsubscribe ${subscription.id}". See all with "subscriptions".` }],
      actions: [{ kind: 'command', label: nb ? 'Send et testvarsel' : 'Send a test alert', command: 'test' }],
      fallback: `${title}: ${text}`,
    });
  };

  // A named model is kept with the subscription; without one it follows the deployment's default.
  let model: { model?: string } = {};
  if ('model' in cmd && cmd.model !== null) {
    const v = resolveModelName(rm, cmd.model);
    if (!v) return problem(lang, t(lang).unknownModel(cmd.model, rm.all().map((x) => x.model.id)));
    model = { model: v.model.id };
  }

  switch (cmd.name) {
    case 'subscribe-tier1': {
      const f = resolveCounties(rm, cmd.fylker, lang);
      if (!f.ok) return f.reply;
      const u = resolveKommuner(rm, cmd.unntatt, lang);
      if (!u.ok) return u.reply;
      return created('tier1', { ...(f.codes.length ? { fylker: f.codes } : {}), ...(u.codes.length ? { unntatt: u.codes } : {}), ...model }, null);
    }
    case 'subscribe-kommune': {
      const k = resolveKommuner(rm, [cmd.kommune], lang);
      if (!k.ok) return k.reply;
      return created('kommune', { kommuner: k.codes, ...model }, null);
    }
    case 'subscribe-digest':
      return created('digest', { ...model }, cmd.schedule);
    case 'subscribe-tomter': {
      const f = resolveCounties(rm, cmd.fylker, lang);
      if (!f.ok) return f.reply;
      const k = resolveKommuner(rm, cmd.kommuner, lang);
      if (!k.ok) return k.reply;
      const u = resolveKommuner(rm, cmd.unntatt, lang);
      if (!u.ok) return u.reply;
      const filter: SubscriptionFilter = {
        ...(f.codes.length ? { fylker: f.codes } : {}),
        ...(k.codes.length ? { kommuner: k.codes } : {}),
        ...(u.codes.length ? { unntatt: u.codes } : {}),
        ...(cmd.minArealM2 !== null ? { minArealM2: cmd.minArealM2 } : {}),
        ...(cmd.tiers.length > 0 ? { tiers: cmd.tiers } : {}),
        ...model,
      };
      const reply = await created('tomter', filter, null);
      return { ...reply, sections: [...reply.sections, { type: 'context', text: nb ? 'Tomtekildene kommer snart; abonnementet er lagret og varsler når de er på plass.' : 'Lot sources are coming soon; the subscription is stored and will alert once they are in place.' }] };
    }
    case 'list-subscriptions':
      return listReply(rm, await placeSubscriptions(deps, place), await placeMutes(deps, place), lang);
    case 'unsubscribe': {
      const subs = await placeSubscriptions(deps, place);
      const t = cmd.target;
      let ids: number[];
      if (t.by === 'all') ids = subs.map((s) => s.id);
      else if (t.by === 'number') ids = t.numbers;
      else {
        let kommune: string | null = null;
        if (t.kommune) {
          const k = resolveKommuner(rm, [t.kommune], lang);
          if (!k.ok) return k.reply;
          kommune = k.codes[0]!;
        }
        ids = subs.filter((s) => s.kind === t.kind && (!kommune || s.filter.kommuner?.includes(kommune))).map((s) => s.id);
      }
      const foreign = t.by === 'number' ? ids.filter((id) => !subs.some((s) => s.id === id)) : [];
      // Subscriptions here that someone else made: only an administrator ends those.
      const othersMade = subs.filter((s) => ids.includes(s.id) && !mayEndSubscription(actor.userId, false, s.createdBy)).map((s) => s.id);
      let skipped: number[] = [];
      if (othersMade.length > 0 && !(await actor.isAdmin())) {
        // Named numbers are all or nothing; "alle" and "tier1" end the sender's own and say what was left.
        if (t.by === 'number' || othersMade.length === ids.filter((id) => subs.some((s) => s.id === id)).length) return notYoursReply(lang, othersMade);
        skipped = othersMade;
        ids = ids.filter((id) => !othersMade.includes(id));
      }
      const count = await unsubscribe(deps, place, ids, who);
      if (count === 0) {
        return problem(lang, foreign.length > 0 ? (nb ? `Fant ikke abonnement ${foreign.map((i) => `#${i}`).join(', ')} her. Se numrene med «abonnementer».` : `No subscription ${foreign.map((i) => `#${i}`).join(', ')} here. See the numbers with "subscriptions".`) : nb ? 'Ingen abonnementer å avslutte her.' : 'No subscriptions to end here.');
      }
      const left = skipped.map((i) => `#${i}`).join(', ');
      return say(lang, nb ? `Avsluttet ${count} abonnement${count === 1 ? '' : 'er'}` : `Ended ${count} subscription${count === 1 ? '' : 's'}`, skipped.length > 0
        ? { sections: [{ type: 'context', text: nb ? `${left} er laget av andre og fortsetter; bare den som laget dem eller en administrator kan avslutte dem.` : `${left} were made by others and continue; only whoever made them or an administrator can end them.` }] }
        : {});
    }
    case 'quiet': {
      if (!(await mayConfigure())) return notYourPlaceReply(lang, 'quiet');
      const count = await setPlaceQuietHours(deps, place, cmd.quiet, who);
      const what = cmd.quiet ? (nb ? `Stille timer ${cmd.quiet.start}–${cmd.quiet.end}` : `Quiet hours ${cmd.quiet.start}–${cmd.quiet.end}`) : nb ? 'Stille timer er slått av' : 'Quiet hours are off';
      const note = count === 0 ? (nb ? ' (ingen abonnementer her ennå; nye abonnementer får dem)' : ' (no subscriptions here yet; they apply once there are)') : '';
      return say(lang, `${what}${note}`, cmd.quiet ? { sections: [{ type: 'text', text: nb ? 'Varsler i den tiden holdes tilbake og kommer samlet i én melding når perioden er over.' : 'Alerts during that time are held and arrive together in one message when it ends.' }] } : {});
    }
    case 'mute': {
      const k = resolveKommuner(rm, [cmd.kommune], lang);
      if (!k.ok) return k.reply;
      const code = k.codes[0]!;
      if (!(await mayConfigure())) return notYourPlaceReply(lang, 'mute');
      const until = await mute(deps, place, code, cmd.days, who);
      const title = nb ? `${code} ${n.kommune(code)} er dempet her til ${until.toISOString().slice(0, 10)}` : `${code} ${n.kommune(code)} is muted here until ${until.toISOString().slice(0, 10)}`;
      return say(lang, title, { actions: [{ kind: 'command', label: nb ? 'Opphev demping' : 'Unmute', command: `opphev demping ${code}` }] });
    }
    case 'unmute': {
      const k = resolveKommuner(rm, [cmd.kommune], lang);
      if (!k.ok) return k.reply;
      const code = k.codes[0]!;
      if (!(await mayConfigure())) return notYourPlaceReply(lang, 'mute');
      const removed = await unmute(deps, place, code, who);
      return say(lang, removed ? (nb ? `Varsler om ${code} ${n.kommune(code)} igjen` : `Alerts about ${code} ${n.kommune(code)} again`) : nb ? `${code} ${n.kommune(code)} var ikke dempet her` : `${code} ${n.kommune(code)} was not muted here`);
    }
    case 'test-alert': {
      const s = rm.scores.get(SAMPLE_KOMMUNE);
      const k = rm.registry.byCode(SAMPLE_KOMMUNE)!;
      const total = s?.total ?? 0;
      const count = await sendTestAlerts(deps, place, {
        kommune: { code: k.code, name: k.nameNorwegian, countyCode: k.countyCode, countyName: k.countyName },
        runId: rm.run?.id ?? 0,
        change: { kommuneCode: k.code, totalBefore: Math.max(0, total - 4), totalAfter: total, tierBefore: 2, tierAfter: 1, coverageBefore: s?.coverage ?? 0, coverageAfter: s?.coverage ?? 0, rules: [] },
      });
      return say(lang, nb ? `Et testvarsel og et testsammendrag er på vei hit (${count} meldinger, innen et minutt)` : `A test alert and a test digest are on their way here (${count} messages, within a minute)`, {
        sections: [{ type: 'context', text: nb ? 'Testvarselet er et eksempel: tallene er ekte, men endringen er laget for testen.' : 'The test alert is an example: the figures are real, the change is made up for the test.' }],
      });
    }
  }
}

/** `jobber` / `jobs`: the last run of each job. */
export async function jobsReply(rm: ReadModel, jobNames: readonly string[], lang: Lang): Promise<Reply> {
  const nb = lang === 'nb';
  const runs = await latestJobRuns(rm.deps, jobNames);
  const title = nb ? 'Jobber' : 'Jobs';
  const rows = runs.map(({ name, run }) => [
    name,
    run ? `${run.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : nb ? 'aldri' : 'never',
    run ? run.status : '–',
    run?.error ?? '',
  ]);
  return {
    kind: 'sources',
    lang,
    title,
    sections: [{ type: 'table', columns: [{ label: nb ? 'Jobb' : 'Job' }, { label: nb ? 'Sist kjørt' : 'Last run' }, { label: 'Status' }, { label: nb ? 'Feil' : 'Error' }], rows }],
    actions: [],
    fallback: `${title}: ${rows.map((r) => `${r[0]} ${r[1]} ${r[2]}`).join('; ')}`,
  };
}

/** What a subscription's own buttons do (Slack's App Home). */
export type SubscriptionOp = 'pause' | 'resume' | 'end';

/**
 * Pauses, resumes or ends one subscription by its id, for its creator or an administrator on the
 * same platform (domain/access.ts); a title saying what happened, or why nothing did. The id comes
 * from a button and is not trusted: another's, another platform's or a missing one is refused.
 */
export async function manageSubscription(rm: ReadModel, actor: Actor, id: number, op: SubscriptionOp, lang: Lang): Promise<{ ok: boolean; text: string }> {
  const nb = lang === 'nb';
  const sub = Number.isSafeInteger(id) && id > 0 ? await subscriptionById(rm.deps, id) : null;
  if (!sub || sub.platform !== actor.platform || sub.status === 'cancelled') {
    return { ok: false, text: nb ? 'Fant ikke det abonnementet; kanskje det alt er avsluttet.' : 'No such subscription; perhaps it has already ended.' };
  }
  if (!mayEndSubscription(actor.userId, false, sub.createdBy) && !(await actor.isAdmin())) return { ok: false, text: notYoursReply(lang, [sub.id]).title };
  const who = auditActorOf(actor);
  if (op === 'end') {
    await unsubscribe(rm.deps, { platform: sub.platform, target: sub.target, targetName: sub.targetName, user: actor.userId }, [sub.id], who);
    return { ok: true, text: nb ? `Abonnement #${sub.id} er avsluttet.` : `Subscription #${sub.id} has ended.` };
  }
  const changed = await setSubscriptionPaused(rm.deps, sub, op === 'pause', who);
  if (op === 'pause') return { ok: true, text: changed ? (nb ? `Abonnement #${sub.id} er satt på pause.` : `Subscription #${sub.id} is paused.`) : nb ? `Abonnement #${sub.id} var alt på pause.` : `Subscription #${sub.id} was already paused.` };
  return { ok: true, text: changed ? (nb ? `Abonnement #${sub.id} varsler igjen.` : `Subscription #${sub.id} alerts again.`) : nb ? `Abonnement #${sub.id} var ikke på pause.` : `Subscription #${sub.id} was not paused.` };
}
