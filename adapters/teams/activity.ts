import * as z from 'zod';
import type { TeamsMessage } from './cards';

/**
 * The parts of a Bot Framework activity tomte reads, checked before anything else looks at the
 * request: a body that is not an activity gets 400 and never reaches authentication or the bot.
 * Unknown fields pass through untouched (the SDK and replies need them).
 */
const account = z.looseObject({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional(), role: z.string().optional() });

export const inboundActivitySchema = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  /** https only, except loopback for the Bot Framework Emulator and local tests. */
  serviceUrl: z.url({ protocol: /^https?$/ }).refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(u), 'serviceUrl must be https'),
  channelId: z.string().min(1),
  conversation: z.looseObject({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    name: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  from: account,
  recipient: account,
  text: z.string().optional(),
  value: z.unknown().optional(),
  name: z.string().optional(),
  action: z.string().optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string() }).optional(),
      team: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
      channel: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
      eventType: z.string().optional(),
    })
    .optional(),
  entities: z.array(z.looseObject({ type: z.string() })).optional(),
  locale: z.string().optional(),
});

export type InboundActivity = z.infer<typeof inboundActivitySchema>;

/** What tomte sends: a message with one Adaptive Card, or an invoke response. */
export interface OutboundActivity {
  type: 'message' | 'invokeResponse';
  text?: string;
  /** Shown in notifications and the chat list instead of the card. */
  summary?: string;
  attachments?: TeamsMessage['attachment'][];
  value?: unknown;
  locale?: string;
}

/**
 * The message for a rendered card. Teams shows an activity's `text` above its card, so the plain
 * fallback goes in `summary` (notifications, chat list) and in the card's own fallbackText.
 */
export function cardActivity(message: TeamsMessage): OutboundActivity {
  return { type: 'message', summary: message.text, attachments: [message.attachment] };
}
