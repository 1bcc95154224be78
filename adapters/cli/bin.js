#!/usr/bin/env node
// `npx tomte …`: the compiled CLI (dist/node/cli.mjs, rebuilt first when a source changed).
import { run } from '../node/run.mjs';

await run('cli', process.argv.slice(2));
