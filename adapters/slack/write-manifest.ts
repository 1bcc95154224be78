// `npm run slack:manifest`: writes adapters/slack/manifest.json from adapters/slack/manifest.ts.
import { writeFileSync } from 'node:fs';
import { slackManifestJson } from './manifest';

const out = new URL('./manifest.json', import.meta.url);
writeFileSync(out, slackManifestJson());
console.log(`wrote ${out.pathname}`);
