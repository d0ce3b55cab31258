#!/usr/bin/env node
// The development shim: load TypeScript through tsx, then run the console alone (until the entry is ui/main.ts).
import { register } from 'tsx/esm/api';

register();
await import('./dev-entry.ts');
