import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
const counts = new Map();
for (let i = 0; i < p.samples.length; i++) { counts.set(p.samples[i], (counts.get(p.samples[i]) ?? 0) + (dt[i] ?? 0)); total += dt[i] ?? 0; }
const fileAgg = new Map(), fnAgg = new Map();
for (const [id, t] of counts) { const n = byId.get(id); const cf = n.callFrame; const file = cf.url.replace(/.*\/(node_modules\/[^/]+|src\/[^/]+\/[^/]+|[^/]+)$/, '$1') || '(native)';
  fileAgg.set(file, (fileAgg.get(file) ?? 0) + t); const k = `${cf.functionName || '(anon)'} ${file}:${cf.lineNumber}`; fnAgg.set(k, (fnAgg.get(k) ?? 0) + t); }
const show = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, t]) => console.log((t / total * 100).toFixed(1).padStart(5), '%', k));
console.log('total ms', (total/1000).toFixed(0)); console.log('-- files'); show(fileAgg, 25); console.log('-- functions'); show(fnAgg, 40);
