/**
 * One benchmark phase in a process of its own, so that its peak memory is its own:
 *   node --import=tsx bench/mux/phase.ts FILE PHASE KEY
 * PHASE is load (read, parse, build, compile), iterate (every variant), leaves (every variant's leaves as an
 * array), ids (every variant's id) or params (one params lookup per variant). Prints one JSON line: the phase's time, the variant count,
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

// Each loop lives in a function of its own: V8 does not optimise a hot loop in a module's top-level code,
// and a real consumer (the runner, `baton variants`) walks the variants from inside a function.
type Tally = { count: number; sink: number };

function iterate(): Tally {
  let count = 0;
  let sink = 0;
  for (const variant of expandVariants(plan)) {
    count++;
    sink += variant.leafCount;
  }
  return { count, sink };
}

function leaves(): Tally {
  let count = 0;
  let sink = 0;
  for (const variant of expandVariants(plan)) {
    count++;
    sink += variant.leaves.length;
  }
  return { count, sink };
}

function ids(): Tally {
  let count = 0;
  let sink = 0;
  for (const variant of expandVariants(plan)) {
    count++;
    sink += variant.id.length;
  }
  return { count, sink };
}

function params(): Tally {
  let count = 0;
  let sink = 0;
  for (const variant of expandVariants(plan)) {
    count++;
    if (variant.params().lookup(key).found) sink++;
  }
  return { count, sink };
}

const phases: Record<string, () => Tally> = {
  iterate,
  leaves,
  ids,
  params,
  load: () => ({ count: 0, sink: 0 }),
};
const runPhase = phases[phase];
if (!runPhase) throw new Error(`unknown phase ${phase}`);

const start = performance.now();
const { count, sink } = runPhase();
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
