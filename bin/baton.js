#!/usr/bin/env node
// The baton command: the built program in dist/ (made by `npm install`, or `npm run build` after a change).
process.setSourceMapsEnabled(true);
await import('../dist/ui/main.js');
