/**
 * One benchmark phase in a process of its own, so that its peak memory is its own:
 *   node --import=tsx bench/mux/phase.ts FILE PHASE KEY
 * PHASE is load (read, parse, build, compile), iterate (every variant's leaves), ids (every variant's id)
 * or params (one params lookup per variant). Prints one JSON line: the phase's time, the variant count,
 * the process's peak RSS and the heap in use at the end.
 */
import { expandVariants, prepareVariants } from '../../src/mux/pipeline.ts';
import { fileReader } from '../../src/mux/readers.ts';

const [file, phase, key] = process.argv.slice(2) as [string, string, string];

const loadStart = performance.now();
const prepared = prepareVariants({ files: [file], reader: fileReader(process.cwd()) });
const loadMs = performance.now() - loadStart;
if (!prepared.plan)
  throw new Error(`cannot load ${file}: ${prepared.errors.map((error) => error.message).join('; ')}`);
const plan = prepared.plan;

let count = 0;
let sink = 0;
const start = performance.now();
if (phase === 'iterate') {
  for (const variant of expandVariants(plan)) {
    count++;
    sink += variant.leaves.length;
  }
} else if (phase === 'ids') {
  for (const variant of expandVariants(plan)) {
    count++;
    sink += variant.id.length;
  }
} else if (phase === 'params') {
  for (const variant of expandVariants(plan)) {
    count++;
    if (variant.params().lookup(key).found) sink++;
  }
}
const phaseMs = phase === 'load' ? loadMs : performance.now() - start;

process.stdout.write(
  JSON.stringify({
    phase,
    ms: phaseMs,
    count,
    sink,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
  }) + '\n',
);
