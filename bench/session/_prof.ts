import { readFileSync, writeFileSync } from 'node:fs';
import { parseScript } from '../../src/session/parse.ts';
const bigPath = '/tmp/dbg/big.baton';
const body = ['# baton session 1', 'open a on local', 'open b on local', 'group g = a,b'];
while (body.length < 10000) body.push('fg @g: echo "${param:size}" $HOME', 'expect a exit 0', 'expect b stdout /\\d+/');
writeFileSync(bigPath, body.slice(0, 10000).join('\n') + '\n');
const read = (p: string) => readFileSync(p, 'utf8');
const t: number[] = []; const s: number[] = [];
for (let i = 0; i < Number(process.env.N ?? 100); i++) {
  let a = performance.now(); void read(bigPath).split(/\r?\n/).length; s.push(performance.now() - a);
  a = performance.now(); parseScript(bigPath, { read }); t.push(performance.now() - a);
}
const med = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!;
console.log('split', med(s).toFixed(2), 'parse', med(t).toFixed(2), 'ratio', (med(t) / med(s)).toFixed(1));
