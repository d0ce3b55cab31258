#!/usr/bin/env node
// The baton command: the built program in dist/ (made by `npm install`, or `npm run build` after a change).
// Source maps of baton's own modules cost ~90 ms at start: stacks point into dist/ unless BATON_DEBUG is set.
if (process.env.BATON_DEBUG) process.setSourceMapsEnabled(true);
await import('../dist/bundle/main.js');
