import test from 'ava';
import type { ExecutionContext } from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal } from '../../src/journal/reader.ts';
import { scratchDir } from '../helpers/scratch.ts';
import { startSshd } from '../helpers/sshd.ts';
import { sshdTest } from '../helpers/tiers.ts';
import { waitFor } from '../helpers/wait.ts';
import { isAlive } from '../helpers/process.ts';

const bin = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));

interface Started {
  pid: number;
  folder: string;
  exited: Promise<{ code: number | null; signal: string | null; stdout: string }>;
  taskPid: () => number | undefined;
  /** The folder of the stream's task folders (on the host), once the task has started. */
  taskArea: () => string | undefined;
}

/** `baton run long-task.ts` over four variants, on `host` (a hosts-file name or `local`). */
function startLongRun(host: string, hostsFile?: string): Started {
  const folder = scratchDir('baton-interrupt-');
  const pidFile = join(folder, 'task.pid');
  const child = spawn(
    process.execPath,
    [
      bin,
      'run',
      join(fixtures, 'long-task.ts'),
      '--variants',
      join(fixtures, 'four.yaml'),
      '--results',
      folder,
      ...(hostsFile ? ['--hosts', hostsFile] : []),
    ],
    {
      env: { ...process.env, BATON_TEST_PIDFILE: pidFile, BATON_TEST_HOST: host },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null; stdout: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout })),
  );
  const started = () => {
    const text = existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : '';
    return text.endsWith('\n') ? text.trim().split(' ') : undefined;
  };
  const taskPid = () => {
    const [pid] = started() ?? [];
    return pid === undefined ? undefined : Number(pid);
  };
  const taskArea = () => {
    const [, dataDir] = started() ?? [];
    return dataDir === undefined ? undefined : dirname(dirname(dataDir));
  };
  return { pid: child.pid!, folder, exited, taskPid, taskArea };
}

/** Whether a watchdog of local process groups lists the group led by `pid`. */
function watchdogLists(pid: number): boolean {
  return readdirSync(tmpdir()).some(
    (name) => name.startsWith('baton-groups-') && existsSync(join(tmpdir(), name, `group-${pid}`)),
  );
}

async function interruptAndCheck(t: ExecutionContext, run: Started): Promise<void> {
  const taskPid = await waitFor(run.taskPid, { timeoutMs: 60_000, what: 'the task to start' });
  t.teardown(() => {
    if (isAlive(taskPid)) process.kill(taskPid, 'SIGKILL');
  });
  const sent = performance.now();
  process.kill(run.pid, 'SIGINT');
  const { code, stdout } = await run.exited;
  t.log(`exit ${code} ${Math.round(performance.now() - sent)} ms after SIGINT`);
  t.is(code, 130, stdout);
  await waitFor(() => !isAlive(taskPid), { timeoutMs: 5000, what: `the task's shell ${taskPid} to be gone` });
  t.regex(stdout, /0 passed, 1 failed, 3 not run/);
  const job = join(run.folder, 'latest');
  const journal = readJournal(join(job, 'journal.jsonl'));
  t.like(journal.events.at(-1), { kind: 'job-end', status: 'interrupted', exitCode: 130 });
  const results = JSON.parse(readFileSync(join(job, 'results.json'), 'utf8')) as {
    status: string;
    variants: { status: string }[];
  };
  t.is(results.status, 'interrupted');
  t.deepEqual(
    results.variants.map((variant) => variant.status),
    ['interrupted', 'not-run', 'not-run', 'not-run'],
  );
  const junit = readFileSync(join(job, 'junit.xml'), 'utf8');
  t.is(junit.match(/<skipped /g)?.length, 3);
  t.regex(junit, /<error type="INTERRUPTED"/);
  const streams = journal.events.filter((event) => event.kind === 'stream-state');
  t.like(streams.at(-1), { stream: 'worker', state: 'closed' });
}

test('SIGINT during a local task: exit 130, the task killed, the stream closed, the variants left reported not run', async (t) => {
  await interruptAndCheck(t, startLongRun('local'));
});

sshdTest('SIGINT during an ssh task: exit 130 and nothing left running on the host', async (t) => {
  const sshd = await startSshd();
  t.teardown(() => sshd.stop());
  const hosts = join(scratchDir('baton-interrupt-hosts-'), 'lab.hosts');
  writeFileSync(
    hosts,
    `lab = ssh://${sshd.user}@${sshd.host}:${sshd.port} known_hosts=${sshd.knownHostsPath} identity=${sshd.privateKeyPath}\n`,
  );
  await interruptAndCheck(t, startLongRun('lab', hosts));
});

test('SIGHUP (the terminal closed) interrupts as SIGINT does: exit 130, the task killed, reports written', async (t) => {
  const run = startLongRun('local');
  const taskPid = await waitFor(run.taskPid, { timeoutMs: 60_000, what: 'the task to start' });
  t.teardown(() => {
    if (isAlive(taskPid)) process.kill(taskPid, 'SIGKILL');
  });
  process.kill(run.pid, 'SIGHUP');
  const { code, stdout } = await run.exited;
  t.is(code, 130, stdout);
  await waitFor(() => !isAlive(taskPid), { timeoutMs: 5000, what: `the task's shell ${taskPid} to be gone` });
  t.true(existsSync(join(run.folder, 'latest', 'junit.xml')));
});

test('SIGKILL of baton mid-run leaves a journal that parses up to its last line, and its watchdog kills the local task and removes its folders', async (t) => {
  const run = startLongRun('local');
  const taskPid = await waitFor(run.taskPid, { timeoutMs: 60_000, what: 'the task to start' });
  t.teardown(() => {
    if (isAlive(taskPid)) process.kill(taskPid, 'SIGKILL');
  });
  // The task's group is listed for the watchdog just after its spawn returns, which a task may outrun.
  await waitFor(() => watchdogLists(taskPid), { timeoutMs: 30_000, what: `the task ${taskPid} listed` });
  process.kill(run.pid, 'SIGKILL');
  t.is((await run.exited).signal, 'SIGKILL');
  const journal = readJournal(join(run.folder, 'latest', 'journal.jsonl'));
  t.false(journal.truncated);
  t.truthy(journal.events.find((event) => event.kind === 'task-start'));
  await waitFor(() => !isAlive(taskPid), {
    timeoutMs: 30_000,
    what: `the task ${taskPid} killed by the watchdog`,
  });
  const area = run.taskArea() ?? '';
  await waitFor(() => !existsSync(area), { timeoutMs: 30_000, what: `${area} removed by the watchdog` });
  t.pass();
});

sshdTest(
  'SIGKILL of baton during an ssh task: the host kills the task and removes the stream folders within its watchdog period',
  async (t) => {
    const sshd = await startSshd({ stockLimits: true });
    t.teardown(() => sshd.stop());
    const hosts = join(scratchDir('baton-interrupt-hosts-'), 'lab.hosts');
    writeFileSync(
      hosts,
      `lab = ssh://${sshd.user}@${sshd.host}:${sshd.port} known_hosts=${sshd.knownHostsPath} identity=${sshd.privateKeyPath}\n`,
    );
    const run = startLongRun('lab', hosts);
    const taskPid = await waitFor(run.taskPid, { timeoutMs: 60_000, what: 'the task to start' });
    t.teardown(() => {
      if (isAlive(taskPid)) process.kill(taskPid, 'SIGKILL');
    });
    const hostTmp = join(sshd.dir, 'tmp');
    t.true(readdirSync(hostTmp).some((name) => name.startsWith('baton-stream-')));
    process.kill(run.pid, 'SIGKILL');
    await run.exited;
    await waitFor(() => !isAlive(taskPid), {
      timeoutMs: 30_000,
      what: `the task ${taskPid} killed on the host`,
    });
    await waitFor(() => readdirSync(hostTmp).filter((name) => name.startsWith('baton-')).length === 0, {
      timeoutMs: 30_000,
      what: 'no baton folder left in the host tmpdir',
    });
    t.pass();
  },
);
