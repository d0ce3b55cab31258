import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/capture.ts';
import { createLab } from '../helpers/netns.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { TerminalDriver } from '../helpers/terminal.ts';
import { netnsTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';
import { labHostsFile } from './support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a stream printed so far in the handover's default variant. */
function streamOutput(results: string, stream: string): string {
  const path = join(
    results,
    'latest',
    'scenarios',
    '01-handover',
    'default',
    'streams',
    stream,
    `01-${stream}`,
    'stdout',
  );
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

// Host B (the target) dies mid-handover: its sshd and every process of its namespace are killed.
netnsTest.serial(
  'a host lost during the handover: the barrier of its peers ends aborted or lost, exit 3, the lost host first, all on disk, shown by baton dash',
  async (t) => {
    t.timeout(400_000);
    const lab = await createLab(3);
    t.teardown(() => lab.teardown());
    const dir = scratchDir('baton-host-lost-');
    const hosts = labHostsFile(lab, dir);
    const results = join(dir, 'results');
    const target = lab.hosts[1];

    const running = runCli(
      ['run', join(ROOT, 'examples', 'handover.ts'), '--hosts', hosts, '--results', results],
      {
        cwd: dir,
        env: { CI: 'true' },
      },
    );
    // Mid-handover: the target took the state over and the client saw the origin serve (the two run in parallel).
    await waitFor(
      () =>
        /token [0-9a-f]{16} verified/.test(streamOutput(results, 'target')) &&
        /serves token/.test(streamOutput(results, 'client')),
      { timeoutMs: 120_000, what: 'the target to take the state over and the client to see the origin' },
    );
    const pids = spawnSync('ip', ['netns', 'pids', target.netns], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean);
    spawnSync('kill', ['-9', ...pids]);
    const run = await running;

    t.is(run.code, 3, run.stdout + run.stderr);
    // The root cause first: the lost host, then what it caused at the barrier its peers waited at.
    const [first] = run.stdout.split('\n').filter((line) => /^(FAIL|ERROR) /.test(line));
    t.regex(first ?? '', /HOST_LOST: target on target \(h2\)/, run.stdout);
    t.regex(run.stdout, /then barrier switched gen 1 (lost|aborted)/);
    // Every stream's partial output and the journal are on disk.
    t.regex(streamOutput(results, 'origin'), /^origin: serving 20 entries, token [0-9a-f]{16}, at /m);
    t.regex(streamOutput(results, 'target'), /^target: 20 entries by inline, token [0-9a-f]{16} verified$/m);
    t.regex(streamOutput(results, 'client'), /^client: origin \S+ serves token [0-9a-f]{16}$/m);
    const journal = readFileSync(join(results, 'latest', 'journal.jsonl'), 'utf8');
    const ends = journal
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind?: string; barrier?: string; phase?: string })
      .filter((event) => event.kind === 'barrier' && event.barrier === 'switched')
      .map((event) => event.phase);
    t.true(ends.includes('lost') || ends.includes('abort'), ends.join(' '));

    const terminal = TerminalDriver.spawn(process.execPath, [join(ROOT, 'bin/baton.js'), 'dash', results], {
      cols: 120,
      rows: 40,
      cwd: dir,
    });
    t.teardown(() => terminal.dispose());
    // The streams pane: target's task lost; the barrier timeline: switched aborted; the log: HOST_LOST, exit 3.
    // One pattern for the whole screen: a screen drawn halfway must not satisfy the wait.
    const screen = await terminal.waitFor(
      /(?=[\s\S]*target +h2 +\w+ +\d+ +\d+ +1 +target lost)(?=[\s\S]*switched#1 [·█]+ (aborted|lost))(?=[\s\S]*HOST_LOST)[\s\S]*error \(exit 3\)/,
      { timeoutMs: 60_000 },
    );
    t.regex(screen, /error \(exit 3\)/);
    t.regex(screen, /switched#1 [·█]+ (aborted|lost)/);
    t.regex(screen, /HOST_LOST/);
  },
);
