/**
 * Multiplexer benchmark: the four trees of the spec (section 4), phases load, iterate, ids and params,
 * each phase in a child process (time and peak RSS of that process), beside the reference
 * implementation's figures: measured in the same run when AVOCADO_SRC points to an Avocado checkout
 * (and python3 has PyYAML), else the figures recorded in the spec, labelled so. The `process` phase is
 * the whole command, `baton variants FILE > /dev/null` (start-up, load, every variant with its id), timed
 * from spawn to exit, against the reference's ids plus iteration. The `json` and `jsonl` phases (not run
 * by default) are the whole `baton variants FILE --json|--jsonl > /dev/null`, side by side: the peak RSS
 * shows that both stream (memory stays flat however many variants).
 *
 *   npm run bench:mux -- [--trees product6x10,wide1000x20] [--phases load,iterate,ids,params,process,json,jsonl]
 *                        [--repeat N] [--no-reference] [--reference-timeout SECONDS] [--baseline REF]
 *
 * With `--baseline REF` (a commit, branch or tag), REF is checked out in a temporary git worktree and its
 * own phase script measures the same in-process phases on the same files in the same run, alternating
 * with ours run by run, beside ours (the whole-command phases are not compared).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TREES, lookupKey, treeText } from './trees.ts';
import type { TreeName } from './trees.ts';

const PHASES = ['load', 'iterate', 'leaves', 'ids', 'params', 'process', 'json', 'jsonl'] as const;
type Phase = (typeof PHASES)[number];
const DEFAULT_PHASES: readonly Phase[] = ['load', 'iterate', 'leaves', 'ids', 'params', 'process'];
const WHOLE: Partial<Record<Phase, string[]>> = { process: [], json: ['--json'], jsonl: ['--jsonl'] };

interface Measure {
  ms: number;
  count: number;
  peakRssMb: number;
}

/** The reference's figures recorded in the spec (section 4), in ms and MB. */
const RECORDED: Record<TreeName, Partial<Record<Phase | 'peakRssMb', number>>> = {
  product6x10: { ids: 745_000, iterate: 5_800, params: 142_000, peakRssMb: 260, process: 750_800 },
  filter_only99: { ids: 43_700, iterate: 35_200, process: 78_900 },
  filter_out99: { ids: 386_000, iterate: 378_000, process: 764_000 },
  wide1000x20: { load: 790, ids: 15_700, params: 1_700 },
};

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

const { values } = parseArgs({
  options: {
    trees: { type: 'string', default: TREES.join(',') },
    phases: { type: 'string', default: DEFAULT_PHASES.join(',') },
    repeat: { type: 'string', default: '1' },
    'no-reference': { type: 'boolean', default: false },
    'reference-timeout': { type: 'string', default: '1800' },
    baseline: { type: 'string' },
  },
});
const trees = values.trees
  .split(',')
  .filter((name): name is TreeName => (TREES as readonly string[]).includes(name));
const phases = values.phases
  .split(',')
  .filter((name): name is Phase => (PHASES as readonly string[]).includes(name));
const repeat = Math.max(1, Number(values.repeat));

function median(measures: Measure[]): Measure {
  const sorted = [...measures].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function runPhase(
  command: string,
  args: string[],
  timeoutSeconds?: number,
  cwd = root,
): Measure | 'timeout' | 'failed' {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: process.env,
    timeout: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return 'timeout';
  if (result.status !== 0) {
    process.stderr.write(`  ${[command, ...args].join(' ')} failed:\n${result.stderr}\n`);
    return 'failed';
  }
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Measure;
}

const bin = resolve(root, 'bin/baton.js');

// `baton variants FILE [OPTIONS] > /dev/null` from spawn to exit; peak RSS from /usr/bin/time when the machine has it.
function runWhole(file: string, options: string[] = []): Measure | 'failed' {
  const time = existsSync('/usr/bin/time');
  const command = [
    process.execPath,
    bin,
    ...(file === '--version' ? [file] : ['variants', file, ...options]),
  ];
  const start = performance.now();
  const result = spawnSync(
    time ? '/usr/bin/time' : command[0],
    time ? ['-f', 'rss-kb %M', ...command] : command.slice(1),
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    },
  );
  const ms = performance.now() - start;
  if (result.status !== 0) {
    process.stderr.write(`  ${command.join(' ')} failed:\n${result.stderr}\n`);
    return 'failed';
  }
  const rss = /rss-kb (\d+)/.exec(result.stderr ?? '');
  return { ms, count: 0, peakRssMb: rss ? Number(rss[1]) / 1024 : 0 };
}

function referenceAvailable(): string | undefined {
  if (values['no-reference']) return 'disabled with --no-reference';
  const source = process.env.AVOCADO_SRC;
  if (!source) return 'AVOCADO_SRC is not set';
  if (!existsSync(join(source, 'optional_plugins', 'varianter_yaml_to_mux')))
    return `no Avocado checkout at ${source}`;
  const probe = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'python3 with PyYAML is not available';
  return undefined;
}

// The reference's figure for the whole command: its ids plus its iteration, when both were measured.
function sumOf(
  ids: Measure | 'timeout' | 'failed' | undefined,
  iterate: Measure | 'timeout' | 'failed' | undefined,
): Measure | undefined {
  if (typeof ids !== 'object' || typeof iterate !== 'object') return undefined;
  return { ms: ids.ms + iterate.ms, count: ids.count, peakRssMb: Math.max(ids.peakRssMb, iterate.peakRssMb) };
}

const ratioText = (ratio: number) => `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}x`;
const format = (ms: number | undefined) =>
  ms === undefined
    ? '—'
    : ms >= 10_000
      ? `${(ms / 1000).toFixed(1)} s`
      : ms >= 100
        ? `${ms.toFixed(0)} ms`
        : `${ms.toFixed(1)} ms`;
const cell = (value: Measure | 'timeout' | 'failed' | undefined) =>
  value === undefined ? '—' : typeof value === 'string' ? value : format(value.ms);

/** REF checked out (detached) in a temporary worktree sharing our node_modules; its root. */
function checkoutBaseline(ref: string, directory: string): string {
  const tree = join(directory, 'baseline');
  execFileSync('git', ['worktree', 'add', '--detach', '--quiet', tree, ref], { cwd: root, stdio: 'inherit' });
  symlinkSync(resolve(root, 'node_modules'), join(tree, 'node_modules'));
  return tree;
}

const directory = mkdtempSync(join(tmpdir(), 'baton-bench-mux-'));
const baselineRef = values.baseline;
let baselineTree: string | undefined;
try {
  if (baselineRef) baselineTree = checkoutBaseline(baselineRef, directory);
  const baseline = new Map<string, Measure | 'timeout' | 'failed'>();
  const notes: string[] = [];
  for (const name of trees) {
    const text = treeText(name);
    writeFileSync(join(directory, `${name}.yaml`), text);
    const published = resolve(root, '../shared/bench/mux', `${name}.yaml`);
    if (existsSync(published) && readFileSync(published, 'utf8') !== text)
      notes.push(`${name}: differs from ${published}`);
  }
  const referenceMissing = referenceAvailable();
  const ours = new Map<string, Measure | 'timeout' | 'failed'>();
  const reference = new Map<string, Measure | 'timeout' | 'failed'>();
  for (const name of trees) {
    const file = join(directory, `${name}.yaml`);
    for (const phase of phases) {
      process.stderr.write(`${name} ${phase} ...\n`);
      const runs: Measure[] = [];
      const baselineRuns: Measure[] = [];
      for (let index = 0; index < repeat; index++) {
        const whole = WHOLE[phase];
        if (baselineTree && !whole) {
          const measure = runPhase(
            process.execPath,
            ['--import=tsx', join(baselineTree, 'bench/mux/phase.ts'), file, phase, lookupKey(name)],
            undefined,
            baselineTree,
          );
          if (typeof measure === 'string') baseline.set(`${name}/${phase}`, measure);
          else baselineRuns.push(measure);
        }
        const measure = whole
          ? runWhole(file, whole)
          : runPhase(process.execPath, [
              '--import=tsx',
              join(here, 'phase.ts'),
              file,
              phase,
              lookupKey(name),
            ]);
        if (typeof measure === 'string') {
          ours.set(`${name}/${phase}`, measure);
          break;
        }
        runs.push(measure);
      }
      if (runs.length === repeat) ours.set(`${name}/${phase}`, median(runs));
      if (baselineRuns.length === repeat) baseline.set(`${name}/${phase}`, median(baselineRuns));
      if (referenceMissing === undefined && !WHOLE[phase]) {
        const timeout = Number(values['reference-timeout']);
        reference.set(
          `${name}/${phase}`,
          runPhase('python3', [join(here, 'reference.py'), file, phase, lookupKey(name)], timeout),
        );
      }
    }
  }

  const lines: string[] = [];
  lines.push(`$ npm run bench:mux -- ${process.argv.slice(2).join(' ')}`.trimEnd());
  lines.push(
    `node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}, median of ${repeat}`,
  );
  lines.push(
    referenceMissing === undefined
      ? `reference: measured in this run (AVOCADO_SRC=${process.env.AVOCADO_SRC})`
      : `reference: recorded reference figures from the spec, section 4 (not measured: ${referenceMissing})`,
  );
  lines.push('');
  if (baselineRef) {
    lines.push(
      `baseline: ${baselineRef} (${execFileSync('git', ['rev-parse', '--short', baselineRef], { cwd: root, encoding: 'utf8' }).trim()}), measured in this run, alternating with this tree`,
    );
    lines.push('');
  }
  const compared = baselineRef ? ' baseline | peak RSS | speed-up |' : '';
  lines.push(`| tree | phase | variants | baton | peak RSS |${compared} reference | ratio |`);
  lines.push(`|---|---|---:|---:|---:|${baselineRef ? '---:|---:|---:|' : ''}---:|---:|`);
  for (const name of trees) {
    for (const phase of phases) {
      const mine = ours.get(`${name}/${phase}`);
      const measured =
        phase === 'process'
          ? sumOf(reference.get(`${name}/ids`), reference.get(`${name}/iterate`))
          : reference.get(`${name}/${phase}`);
      // The reference's iteration builds each variant's list of leaves: `leaves` is compared with it too.
      const recorded =
        phase === 'json' || phase === 'jsonl'
          ? undefined
          : RECORDED[name][phase === 'leaves' ? 'iterate' : phase];
      const theirs =
        referenceMissing === undefined
          ? measured
          : recorded === undefined
            ? undefined
            : { ms: recorded, count: 0, peakRssMb: 0 };
      const ratio =
        typeof mine === 'object' && typeof theirs === 'object' && mine.ms > 0
          ? ratioText(theirs.ms / mine.ms)
          : '—';
      const rss = typeof mine === 'object' ? `${mine.peakRssMb.toFixed(0)} MB` : '—';
      const count = typeof mine === 'object' && phase !== 'load' && !WHOLE[phase] ? String(mine.count) : '';
      const label =
        referenceMissing === undefined ? cell(theirs) : theirs ? `${cell(theirs)} (recorded)` : '—';
      const before = baseline.get(`${name}/${phase}`);
      const speedUp =
        typeof mine === 'object' && typeof before === 'object' && mine.ms > 0
          ? ratioText(before.ms / mine.ms)
          : '—';
      const beforeRss = typeof before === 'object' ? `${before.peakRssMb.toFixed(0)} MB` : '—';
      const beside = baselineRef ? ` ${cell(before)} | ${beforeRss} | ${speedUp} |` : '';
      lines.push(`| ${name} | ${phase} | ${count} | ${cell(mine)} | ${rss} |${beside} ${label} | ${ratio} |`);
    }
  }
  if (referenceMissing !== undefined && trees.includes('product6x10')) {
    lines.push('', 'recorded reference peak memory, product6x10: 260 MB');
  }
  if (phases.includes('process')) {
    const floor = runWhole('--version');
    if (typeof floor === 'object') {
      lines.push(
        '',
        `process start-up floor (baton --version, same shim): ${format(floor.ms)}, ${floor.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
  lines.push(...notes.map((note) => `note: ${note}`));
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  if (baselineTree) {
    spawnSync('git', ['worktree', 'remove', '--force', baselineTree], { cwd: root, stdio: 'ignore' });
  }
  rmSync(directory, { recursive: true, force: true });
}
