// `node dist/node/template.mjs`: builds the start template (template.ts). Run by build.mjs at install.
import { buildStartTemplate } from './template';

const result = await buildStartTemplate();
console.log(`built dist/template (${(result.bytes / 1024 / 1024).toFixed(1)} MB) in ${result.ms} ms`);
