// Signed Slack requests in the shapes Slack sends: a form-encoded slash command, `payload=`
// interactivity JSON, and Events API JSON (event_callback, url_verification).
import { createHmac } from 'node:crypto';

export const TEST_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const TEST_BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
export const TEAM = { id: 'T0TOMTE01', domain: 'boligsektor' };
export const USER = { id: 'U0BIZDEV1', name: 'kari' };
export const CHANNEL = { id: 'C0TOMTE01', name: 'tomter' };
export const API_APP_ID = 'A0TOMTE01';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/** Slack's v0 signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function signSlackRequest(body: string, secret: string, timestamp: number = nowSeconds()): SlackSignatureHeaders {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestamp) };
}

export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';

export interface SignedRequestOptions {
  secret?: string;
  timestamp?: number;
  headers?: Record<string, string>;
  /** Leave the signature headers out. */
  unsigned?: boolean;
}

/** A RequestInit for `app.request('/slack/events', init)`. */
export function slackRequest(body: string, contentType: string, opts: SignedRequestOptions = {}): RequestInit {
  const sig = opts.unsigned ? {} : signSlackRequest(body, opts.secret ?? TEST_SIGNING_SECRET, opts.timestamp);
  return { method: 'POST', body, headers: { 'content-type': contentType, ...sig, ...opts.headers } };
}

let seq = 0;
/** Unique per call, like Slack's trigger_id (`<n>.<n>.<hex>`). */
export function triggerId(): string {
  seq++;
  return `13345224609.738474920.${seq.toString(16).padStart(8, '0')}${Math.random().toString(16).slice(2, 10)}`;
}

export function responseUrl(kind: 'commands' | 'actions' = 'commands'): string {
  return `https://hooks.slack.com/${kind}/${TEAM.id}/${1000 + seq}/${Math.random().toString(36).slice(2, 14)}`;
}

function form(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

export interface SlashCommandFields {
  text: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  response_url?: string;
  trigger_id?: string;
  command?: string;
  team_id?: string;
}

/** The form body of `/tomte <text>`: `text=kommune%20Bod%C3%B8` for "kommune Bodø". */
export function slashCommandBody(f: SlashCommandFields): string {
  return form({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: f.team_id ?? TEAM.id,
    team_domain: TEAM.domain,
    channel_id: f.channel_id ?? CHANNEL.id,
    channel_name: f.channel_name ?? CHANNEL.name,
    user_id: f.user_id ?? USER.id,
    user_name: f.user_name ?? USER.name,
    command: f.command ?? '/tomte',
    text: f.text,
    api_app_id: API_APP_ID,
    is_enterprise_install: 'false',
    response_url: f.response_url ?? responseUrl('commands'),
    trigger_id: f.trigger_id ?? triggerId(),
  });
}

export interface ButtonClick {
  action_id: string;
  value: string;
  label?: string;
  response_url?: string;
  user_id?: string;
  /** A click on the App Home tab: no channel and no response_url. */
  home?: boolean;
}

/** block_actions for one button (or static_select when `selected` is given), as `payload=<json>`. */
export function blockActionsPayload(click: ButtonClick & { selected?: { value: string; text: string } }): Record<string, unknown> {
  const ts = `${nowSeconds()}.000200`;
  const action = click.selected
    ? {
        type: 'static_select',
        action_id: click.action_id,
        block_id: 'tomte:lang',
        selected_option: { text: { type: 'plain_text', text: click.selected.text, emoji: true }, value: click.selected.value },
        action_ts: ts,
      }
    : { type: 'button', action_id: click.action_id, block_id: 'b1', text: { type: 'plain_text', text: click.label ?? click.value, emoji: true }, value: click.value, action_ts: ts };
  const user = { id: click.user_id ?? USER.id, username: USER.name, name: USER.name, team_id: TEAM.id };
  if (click.home) {
    return {
      type: 'block_actions',
      user,
      api_app_id: API_APP_ID,
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      container: { type: 'view', view_id: 'V0HOME001' },
      trigger_id: triggerId(),
      team: TEAM,
      enterprise: null,
      is_enterprise_install: false,
      view: { id: 'V0HOME001', type: 'home', blocks: [], state: { values: {} } },
      actions: [action],
    };
  }
  return {
    type: 'block_actions',
    user,
    api_app_id: API_APP_ID,
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: { type: 'message', message_ts: ts, channel_id: CHANNEL.id, is_ephemeral: true },
    trigger_id: triggerId(),
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: CHANNEL,
    state: { values: {} },
    response_url: click.response_url ?? responseUrl('actions'),
    actions: [action],
  };
}

export function blockActionsBody(click: Parameters<typeof blockActionsPayload>[0]): string {
  return `payload=${encodeURIComponent(JSON.stringify(blockActionsPayload(click)))}`;
}

/** Events API callback for `app_home_opened` on the Home tab. */
export function appHomeOpenedBody(opts: { user_id?: string; event_id?: string; tab?: 'home' | 'messages' } = {}): string {
  const user = opts.user_id ?? USER.id;
  return JSON.stringify({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: TEAM.id,
    api_app_id: API_APP_ID,
    event: { type: 'app_home_opened', user, channel: 'D0TOMTE01', tab: opts.tab ?? 'home', event_ts: `${nowSeconds()}.000100` },
    type: 'event_callback',
    event_id: opts.event_id ?? `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: nowSeconds(),
    authorizations: [{ enterprise_id: null, team_id: TEAM.id, user_id: 'U0TOMTEBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

export function urlVerificationBody(challenge: string): string {
  return JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge, type: 'url_verification' });
}

/** Slack's certificate probe for slash-command URLs (sent unsigned). */
export function sslCheckBody(): string {
  return form({ ssl_check: '1', token: 'gIkuvaNzQIHg97ATvDxqgjtO' });
}

/** A message shortcut (`message_action`) on a channel message, as `payload=<json>`. */
export function messageShortcutBody(text: string, o: { callback_id?: string; response_url?: string; user_id?: string } = {}): string {
  const ts = `${nowSeconds()}.000400`;
  const payload = {
    type: 'message_action',
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    action_ts: ts,
    team: TEAM,
    user: { id: o.user_id ?? USER.id, username: USER.name, name: USER.name, team_id: TEAM.id },
    channel: CHANNEL,
    is_enterprise_install: false,
    enterprise: null,
    callback_id: o.callback_id ?? 'tomte_lookup',
    trigger_id: triggerId(),
    response_url: o.response_url ?? responseUrl('actions'),
    message_ts: '1700000002.000500',
    message: { type: 'message', user: 'U0OTHER01', ts: '1700000002.000500', text },
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A modal as Slack holds it once opened: the view we sent with Slack's own fields added. */
function openedView(view: Record<string, unknown>, values: Record<string, Record<string, unknown>>, team: { id: string }): Record<string, unknown> {
  return {
    id: 'V0MODAL01',
    team_id: team.id,
    app_id: API_APP_ID,
    app_installed_team_id: team.id,
    bot_id: 'B0TOMTE01',
    root_view_id: 'V0MODAL01',
    previous_view_id: null,
    external_id: '',
    hash: '1700000000.AbCdEf12',
    clear_on_close: false,
    notify_on_close: false,
    private_metadata: '',
    ...view,
    state: { values },
  };
}

/** `block_suggestion`: the user typed `value` into an external_select of an open modal. */
export function blockSuggestionBody(view: Record<string, unknown>, actionId: string, value: string, o: { team?: { id: string; domain: string } } = {}): string {
  const team = o.team ?? TEAM;
  const payload = {
    type: 'block_suggestion',
    user: { id: USER.id, username: USER.name, name: USER.name, team_id: team.id },
    container: { type: 'view', view_id: 'V0MODAL01' },
    api_app_id: API_APP_ID,
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    action_id: actionId,
    block_id: actionId,
    value,
    team,
    enterprise: null,
    is_enterprise_install: false,
    view: openedView(view, {}, team),
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** What a user chose in a modal's inputs: a selected option per block (block_id = action_id), or a conversation. */
export type ModalChoices = Record<string, { option: { text: string; value: string } } | { conversation: string }>;

/** `view_submission` of an open modal with the user's choices, as `payload=<json>`. */
export function viewSubmissionBody(view: Record<string, unknown>, choices: ModalChoices, o: { team?: { id: string; domain: string }; user_id?: string } = {}): string {
  const team = o.team ?? TEAM;
  const values: Record<string, Record<string, unknown>> = {};
  for (const [id, c] of Object.entries(choices)) {
    values[id] = {
      [id]: 'conversation' in c
        ? { type: 'conversations_select', selected_conversation: c.conversation }
        : { type: id === 'place' ? 'external_select' : 'static_select', selected_option: { text: { type: 'plain_text', text: c.option.text, emoji: true }, value: c.option.value } },
    };
  }
  const payload = {
    type: 'view_submission',
    team,
    user: { id: o.user_id ?? USER.id, username: USER.name, name: USER.name, team_id: team.id },
    api_app_id: API_APP_ID,
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    trigger_id: triggerId(),
    view: openedView(view, values, team),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
