// The platforms' own checkers, in one place for the tests:
// - Microsoft's `adaptivecards` parser (the renderer Teams' own web client is built on), and
// - the official Teams app manifest JSON schema, as shipped in Microsoft's `@microsoft/app-manifest`
//   npm package (build/json-schemas/teams/v<version>/MicrosoftTeams.schema.json, MIT), checked with
//   ajv's draft-04 dialect, which those schemas declare.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as AdaptiveCardsTypes from 'adaptivecards';

const require = createRequire(import.meta.url);

// The package's ES build imports its own files without extensions, which Node cannot resolve;
// its UMD bundle is the same code.
export const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsTypes;

/**
 * What the Adaptive Cards parser says about a card: every parse event (an unknown element, an
 * invalid property value that it drops, …) and every validation event. Empty means clean.
 */
export function adaptiveCardProblems(payload: unknown): string[] {
  // The parser checks `lang` with a /g regular expression whose lastIndex survives between
  // calls, so every second card with a valid tag would be reported invalid: start from 0.
  (AdaptiveCards.CardElement as unknown as { langProperty: { regEx?: RegExp } }).langProperty.regEx!.lastIndex = 0;
  const card = new AdaptiveCards.AdaptiveCard();
  const ctx = new AdaptiveCards.SerializationContext();
  card.parse(payload as never, ctx);
  const out: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) out.push(`parse: ${ctx.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) out.push(`validate: ${e.message}`);
  return out;
}

const schemas = new Map<string, object>();
function manifestSchema(version: string): object {
  let s = schemas.get(version);
  if (!s) {
    const path = require.resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
    s = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as object;
    schemas.set(version, s);
  }
  return s;
}

/** The official schema's complaints about a Teams manifest of `manifestVersion`; empty when valid. */
export function teamsManifestProblems(manifest: { manifestVersion: string }): string[] {
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(manifestSchema(manifest.manifestVersion));
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
