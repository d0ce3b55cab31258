import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfT = new Map(); let total = 0;
for (let i = 0; i < p.samples.length; i++) { selfT.set(p.samples[i], (selfT.get(p.samples[i]) ?? 0) + p.timeDeltas[i]); total += p.timeDeltas[i]; }
const incl = new Map();
for (const [id, t] of selfT) { const seen = new Set(); let cur = id; while (cur !== undefined) { const cf = byId.get(cur).callFrame; const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber}`; if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); } cur = parent.get(cur); } }
[...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 60)).forEach(([k, t]) => console.log((t / total * 100).toFixed(1).padStart(5), k));
