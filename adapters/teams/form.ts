import { countyOptions, kindOptions, modelOptions, placeLabel, placeOptions, type FormField, type FormValues } from '../../src/chat/subscriptions/form';
import { t } from '../../src/chat/texts';
import type { Lang } from '../../src/domain/localized';
import type { ReadModel } from '../../src/services/read-model';
import { cardMessage, EXECUTE_VERB, text, type CardElement, type ChoiceSetInput, type TeamsMessage } from './cards';

/**
 * The "Nytt abonnement" card: the subscription form of src/chat/subscriptions/form.ts as Adaptive
 * Card inputs, the Teams counterpart of adapters/slack/modal.ts. The kommune picker is an
 * Input.ChoiceSet with the fylker as static choices and `choices.data` (Data.Query, dataset
 * "kommuner") for the rest, which Teams asks for with `application/search` invokes as the user
 * types. "Opprett" is an Action.Execute whose data Teams merges with the inputs' values.
 */

/** The Data.Query dataset of the kommune picker. */
export const KOMMUNE_DATASET = 'kommuner';

/** The invoke response content type of a search answer. */
export const SEARCH_RESPONSE_TYPE = 'application/vnd.microsoft.search.searchResponse';

/** Search answers are short: Teams shows a dropdown, not a list to scroll through. */
const MAX_SEARCH_RESULTS = 25;

/** The form card; after a submission with problems, the values as they were and each field's problem. */
export function subscriptionFormCard(rm: ReadModel, lang: Lang, previous?: { values: FormValues; errors: Partial<Record<FormField, string>> }): TeamsMessage {
  const tx = t(lang).form;
  const was = (f: FormField): string | undefined => {
    const v = previous?.values[f];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const problem = (f: FormField): CardElement[] => (previous?.errors[f] ? [text(previous.errors[f]!, { color: 'Attention', size: 'Small', spacing: 'None' })] : []);
  const place = was('place');
  // A chosen kommune is not among the static choices: keep it there so the card shows it.
  const chosen = place && !place.startsWith('f:') ? placeLabel(rm, place, lang) : null;
  const models = modelOptions(rm);
  const choice = (id: FormField, label: string, choices: { value: string; label: string }[], extra: Partial<ChoiceSetInput> = {}): ChoiceSetInput => ({
    type: 'Input.ChoiceSet',
    id,
    label,
    choices: choices.map((c) => ({ title: c.label, value: c.value })),
    ...(was(id) ? { value: was(id)! } : {}),
    ...extra,
  });
  const body: CardElement[] = [
    text(tx.title, { size: 'Large', weight: 'Bolder', style: 'heading' }),
    choice('kind', tx.kind, kindOptions(lang), { style: 'expanded', isRequired: true, errorMessage: tx.errors.kind }),
    ...problem('kind'),
    choice('place', tx.place, [...(chosen && place ? [{ value: place, label: chosen }] : []), ...countyOptions(rm, lang)], {
      style: 'filtered',
      placeholder: tx.placeSearch,
      'choices.data': { type: 'Data.Query', dataset: KOMMUNE_DATASET },
    }),
    text(tx.placeHint, { size: 'Small', isSubtle: true, spacing: 'None' }),
    ...problem('place'),
    ...(models.length > 1 ? [choice('model', tx.model, models, { style: 'compact', placeholder: tx.modelHint }), ...problem('model')] : []),
  ];
  return cardMessage(lang, tx.title, body, [{ type: 'Action.Execute', verb: EXECUTE_VERB, title: tx.submit, data: { tomte: 'subscribe', command: 'abonner' } }]);
}

/** The answer to an `application/search` invoke of the kommune picker. */
export function searchResponse(rm: ReadModel, value: unknown, lang: Lang): { statusCode: number; type: string; value: { results: { title: string; value: string }[] } } {
  const v = (value ?? {}) as { queryText?: unknown; dataset?: unknown; queryOptions?: { skip?: unknown; top?: unknown } };
  const query = typeof v.queryText === 'string' ? v.queryText.slice(0, 100) : '';
  const skip = typeof v.queryOptions?.skip === 'number' && v.queryOptions.skip > 0 ? Math.floor(v.queryOptions.skip) : 0;
  const top = typeof v.queryOptions?.top === 'number' && v.queryOptions.top > 0 ? Math.min(MAX_SEARCH_RESULTS, Math.floor(v.queryOptions.top)) : MAX_SEARCH_RESULTS;
  const results = v.dataset === KOMMUNE_DATASET ? placeOptions(rm, query, lang, 'kommuner').slice(skip, skip + top) : [];
  return { statusCode: 200, type: SEARCH_RESPONSE_TYPE, value: { results: results.map((o) => ({ title: o.label, value: o.value })) } };
}

/** The inputs' values in an Action.Execute's data. */
export function formValues(data: unknown): FormValues {
  const d = (data ?? {}) as Record<string, unknown>;
  return { kind: d.kind, place: d.place, model: d.model };
}
