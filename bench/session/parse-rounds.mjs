// Times parse-and-check of a script against read-and-split of the same file, in alternating rounds, with the
// built parser as `baton` runs it, in a process of its own: under tsx (the other benchmarks' loader) every module,
// the built ones too, is compiled again with a call per function made to keep its name, which doubled the
// parser's time. Prints {parse: ms[], split: ms[]} as JSON. Usage: node parse-rounds.mjs SCRIPT ROUNDS
import { readFileSync } from 'node:fs';
// Made by `npm install` (or `npm run build` after a change).
import { parseScript } from '../../dist/src/session/parse.js';

const [script, rounds] = process.argv.slice(2);
/** @param {string} path */
const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};
const parse = [];
const split = [];
for (let round = 0; round < Number(rounds); round++) {
  let started = performance.now();
  void (read(script) ?? '').split(/\r?\n/).length;
  split.push(performance.now() - started);
  started = performance.now();
  const parsed = parseScript(script, { read });
  if (parsed.errors.length > 0) throw new Error(`the script has ${parsed.errors.length} errors`);
  parse.push(performance.now() - started);
}
console.log(JSON.stringify({ parse, split }));
