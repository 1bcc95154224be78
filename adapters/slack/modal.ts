import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Reply } from '../../src/chat/reply';
import { kindOptions, modelOptions, type FormField, type FormOption, type FormValues } from '../../src/chat/subscriptions/form';
import { t } from '../../src/chat/texts';
import type { Lang } from '../../src/domain/localized';
import type { ReadModel } from '../../src/services/read-model';
import { renderBlocks } from './blocks';

/**
 * The "Nytt abonnement" modal: the subscription form of src/chat/subscriptions/form.ts as Block
 * Kit inputs. The kommune/fylke picker is an external_select whose options Slack asks for with
 * `block_suggestion` (answered from the form's search); the submission (`view_submission`) is
 * read back into the form's values.
 */

/** The modal's callback_id: its view_submission listener. */
export const FORM_CALLBACK = 'tomte_subscribe';

/** block_id and action_id of each input (one element per block, so both are the field name). */
export const FORM_BLOCKS = { kind: 'kind', place: 'place', model: 'model', channel: 'channel' } as const;

/** Slack's limits for options: 75 characters of text, 150 of value, 100 options per answer. */
const OPTION_TEXT = 75;
const OPTION_VALUE = 150;
const MAX_OPTIONS = 100;

/** Where the modal was opened: the App Home tab is published again after a submission from there. */
export interface ModalOrigin {
  home: boolean;
}

const plain = (text: string, max = 3000) => ({ type: 'plain_text' as const, text: text.length > max ? `${text.slice(0, max - 1)}…` : text });

/** Form options as Slack options, cut to Slack's limits. */
export function slackOptions(options: readonly FormOption[]): PlainTextOption[] {
  return options.slice(0, MAX_OPTIONS).filter((o) => o.value.length <= OPTION_VALUE).map((o) => ({ text: plain(o.label, OPTION_TEXT), value: o.value }));
}

/** The modal; `channel` preselects the channel it was opened from (none: the user's watchlist). */
export function subscriptionModal(rm: ReadModel, lang: Lang, opts: { channel?: string; origin: ModalOrigin }): ModalView {
  const tx = t(lang).form;
  const models = slackOptions(modelOptions(rm));
  const blocks: KnownBlock[] = [
    { type: 'input', block_id: FORM_BLOCKS.kind, label: plain(tx.kind), element: { type: 'static_select', action_id: FORM_BLOCKS.kind, options: slackOptions(kindOptions(lang)) } },
    {
      type: 'input',
      block_id: FORM_BLOCKS.place,
      optional: true,
      label: plain(tx.place),
      hint: plain(tx.placeHint),
      element: { type: 'external_select', action_id: FORM_BLOCKS.place, placeholder: plain(tx.placeSearch, 150), min_query_length: 1 },
    },
    ...(models.length > 1 ? [{ type: 'input', block_id: FORM_BLOCKS.model, optional: true, label: plain(tx.model), hint: plain(tx.modelHint), element: { type: 'static_select', action_id: FORM_BLOCKS.model, options: models } } satisfies KnownBlock] : []),
    {
      type: 'input',
      block_id: FORM_BLOCKS.channel,
      optional: true,
      label: plain(tx.channel),
      hint: plain(tx.channelHint),
      element: {
        type: 'conversations_select',
        action_id: FORM_BLOCKS.channel,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(opts.channel && !opts.channel.startsWith('D') ? { initial_conversation: opts.channel } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK,
    title: plain(tx.title, 24),
    submit: plain(tx.submit, 24),
    close: plain(tx.cancel, 24),
    private_metadata: JSON.stringify(opts.origin),
    blocks,
  };
}

/** The modal after a submission: the answer (the new subscription, or why there is none). */
export function resultModal(reply: Reply): ModalView {
  const { blocks } = renderBlocks({ ...reply, actions: [] });
  return { type: 'modal', title: plain(t(reply.lang).form.title, 24), close: plain(reply.lang === 'nb' ? 'Lukk' : 'Close', 24), blocks: blocks as KnownBlock[] };
}

/** A modal that only says something (a refusal, an error). */
export function textModal(text: string, lang: Lang): ModalView {
  return { type: 'modal', title: plain(t(lang).form.title, 24), close: plain(lang === 'nb' ? 'Lukk' : 'Close', 24), blocks: [{ type: 'section', text: plain(text) }] };
}

type StateValues = Record<string, Record<string, { type?: string; selected_option?: { value?: unknown } | null; selected_conversation?: unknown }>>;

/** What a view_submission carried: the form's values and the chosen channel (null: the watchlist). */
export function readSubmission(view: { state?: { values?: unknown }; private_metadata?: unknown }): { values: FormValues; channel: string | null; origin: ModalOrigin } {
  const state = (view.state?.values ?? {}) as StateValues;
  const selected = (f: keyof typeof FORM_BLOCKS) => state[FORM_BLOCKS[f]]?.[FORM_BLOCKS[f]]?.selected_option?.value ?? null;
  const channel = state[FORM_BLOCKS.channel]?.[FORM_BLOCKS.channel]?.selected_conversation;
  let origin: ModalOrigin = { home: false };
  try {
    const meta = JSON.parse(typeof view.private_metadata === 'string' ? view.private_metadata : '{}') as { home?: unknown };
    origin = { home: meta.home === true };
  } catch {
    // A view of another app or an old version: not from the Home tab.
  }
  return {
    values: { kind: selected('kind'), place: selected('place'), model: selected('model') },
    channel: typeof channel === 'string' && /^[CGD][A-Z0-9]{2,}$/.test(channel) ? channel : null,
    origin,
  };
}

/** A submission's problems as `response_action: errors` (keyed by block_id). */
export function formErrors(errors: Partial<Record<FormField, string>>): { response_action: 'errors'; errors: Record<string, string> } {
  const out: Record<string, string> = {};
  for (const [field, text] of Object.entries(errors)) out[FORM_BLOCKS[field as FormField]] = text;
  return { response_action: 'errors', errors: out };
}
