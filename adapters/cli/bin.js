#!/usr/bin/env node
// `npx tomte …`: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
