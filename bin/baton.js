#!/usr/bin/env node
// The baton command: load TypeScript through tsx, then hand over to the program entry.
import { register } from 'tsx/esm/api';

register();
await import('../ui/main.ts');
