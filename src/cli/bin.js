#!/usr/bin/env node
// The bin shim: load TypeScript through tsx, then hand over to the CLI entry.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
