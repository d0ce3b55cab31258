/**
 * `npm run bench:streams`: the per-task overhead of `true` on each kind of stream, against the ways OpenSSH
 * and ssh2 offer to run a command, and a local `spawn('true')` as the floor, all in one run against a private
 * sshd on 127.0.0.1. Goals: the ssh stream's median at most 0.5 ms, the local stream at most 1.2 times the
 * floor. Exits 1 when a goal is missed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTransport } from '../../src/transport/index.ts';
import type { TransportOptions } from '../../src/transport/options.ts';
import type { HostSpec, Transport } from '../../src/transport/transport.ts';
import { resolveSshEndpoint } from '../../src/transport/ssh-config.ts';
import { SshConnection } from '../../src/transport/ssh-connection.ts';
import { startSshd } from '../../test/helpers/sshd.ts';
import { Journal } from '../../src/journal/journal.ts';
import { ResultsFolder } from '../../src/report/results-folder.ts';
import { Stream } from '../../src/stream/stream.ts';
import { Controller } from '../../src/controller/controller.ts';
import { parseHostsFile } from '../../src/scenario/hosts-file.ts';
import { measure, measureInterleaved, table } from './measure.ts';
import type { Row } from './measure.ts';
import { bareLine, openRawShell, withoutSubshellLine } from './raw-shell.ts';

type SshSpec = Extract<HostSpec, { kind: 'ssh' }>;

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000' },
    'control-master': { type: 'string', default: '200' },
    'ssh-processes': { type: 'string', default: '50' },
  },
});

const tasks = Number(values.tasks);
const controlMasterTasks = Number(values['control-master']);
const sshProcessTasks = Number(values['ssh-processes']);

const sshd = await startSshd();
const dir = mkdtempSync(join(tmpdir(), 'baton-bench-streams-'));
const clientConfig = join(dir, 'ssh_config');
writeFileSync(clientConfig, sshd.clientConfig('bench'));
const emptyConfig = join(dir, 'empty_config');
writeFileSync(emptyConfig, '');
const controlPath = join(dir, 'control');

/** Spawn with Node's defaults (stdin, stdout and stderr piped), as `spawn('true')` does, and wait for close. */
function runProcess(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args);
    child.stdout.resume();
    child.stderr.resume();
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${file} ${args.join(' ')}: exit ${code}`)),
    );
  });
}

async function runTrue(transport: Transport): Promise<void> {
  const result = await transport.exec({
    command: 'true',
    onStdout: () => undefined,
    onStderr: () => undefined,
  }).result;
  if (result.exitCode !== 0) throw new Error(`true exited with ${result.exitCode}`);
}

async function opened(spec: HostSpec, options: TransportOptions = {}): Promise<Transport> {
  const transport = createTransport(spec, options);
  await transport.open();
  return transport;
}

const sshSpec: SshSpec = {
  kind: 'ssh',
  name: 'bench',
  host: sshd.host,
  port: sshd.port,
  user: sshd.user,
  identityFiles: [sshd.privateKeyPath],
};
const sshOptions: TransportOptions = {
  knownHostsPath: sshd.knownHostsPath,
  sshConfigPath: emptyConfig,
  agentSocket: '',
  retries: 0,
};
const openssh = ['-F', clientConfig, '-o', 'ControlMaster=no'];

/** The environment a scenario gives a stream: sync client settings, the variant and its params. */
const scenarioEnv: Record<string, string> = {
  BATON_SYNC_ADDR: '127.0.0.1:40123',
  BATON_SYNC_TOKEN: 'f'.repeat(32),
  BATON_SYNC_MEMBER: 'client-1',
  BATON_SYNC_SCOPE: 'job-20261122-143000/run-fedora-x86_64-1a2b',
  BATON_SYNC_SH: '/tmp/baton-sync-AbCdEf/baton-sync.sh',
  BATON_SYNC_PY: '/tmp/baton-sync-AbCdEf/baton_sync.py',
  BATON_VARIANT: 'run-fedora-x86_64-1a2b',
  BATON_PARAM_OS: 'fedora',
  BATON_PARAM_ARCH: 'x86_64',
  BATON_PARAM_DURATION: '30',
  BATON_PARAMS: JSON.stringify({ os: 'fedora', arch: 'x86_64', duration: 30, sizes: [64, 1500, 9000] }),
};

/** A Baton stream with its journal, results folder and environment, as a scenario gets it. */
async function streamOn(transport: Transport): Promise<Stream> {
  const journal = new Journal();
  const results = new ResultsFolder(join(dir, 'results'), journal);
  return Stream.open({
    name: 'bench',
    transport,
    journal,
    env: scenarioEnv,
    taskDir: (...args) => results.taskDir(...args),
  });
}

/** A controller as a job has it (journal, results folder, the stream's environment) with one stream open. */
async function controllerOn(host: string): Promise<Controller> {
  const journal = new Journal();
  const results = new ResultsFolder(join(dir, 'results'), journal);
  const hosts = parseHostsFile(
    `lab = ssh://${sshd.user}@${sshd.host}:${sshd.port} known_hosts=${sshd.knownHostsPath} identity=${sshd.privateKeyPath}\n`,
    'bench.hosts',
  );
  const controller = new Controller({ journal, results, hosts, baseEnv: scenarioEnv });
  await controller.execute({ kind: 'open', stream: 'bench', host });
  return controller;
}

/** A `true` task issued as a Command, as the console and a replay issue it. */
async function commandTrue(controller: Controller): Promise<void> {
  const [record] = await controller.execute({ kind: 'fg', target: 'bench', block: 'true' });
  if (record?.status !== 'passed') throw new Error(`true ended ${record?.status}`);
}

const rows: Row[] = [];
try {
  const local = await opened({ kind: 'local', name: 'local' });
  const localStream = await streamOn(createTransport({ kind: 'local', name: 'local' }));
  const pty = await opened({ kind: 'pty', name: 'pty' });
  const connection = await SshConnection.connect(resolveSshEndpoint(sshSpec, sshOptions), {
    label: 'bench',
    fields: { host: 'bench', stream: 'bench' },
    keepaliveIntervalMs: 0,
    keepaliveCountMax: 3,
    connectTimeoutMs: 15_000,
    maxChannels: 10,
  });
  const raw = await openRawShell(connection);
  const stream = await opened(sshSpec, sshOptions);
  const sshStream = await streamOn(createTransport(sshSpec, sshOptions));
  const execChannels = await opened(sshSpec, { ...sshOptions, execPerCommand: true });
  const localController = await controllerOn('local');
  const sshController = await controllerOn('lab');
  const scenario = 'what a scenario pays per task';
  rows.push(
    ...(await measureInterleaved(tasks, [
      { name: "local spawn('true') (floor)", task: () => runProcess('true', []) },
      { name: 'local stream', task: () => runTrue(local) },
      {
        name: 'local Stream: queue, journal, task folder, data fetch',
        task: () => localStream.runFg('true'),
        note: scenario,
      },
      {
        name: 'local Controller: a `true` fg Command through execute',
        task: () => commandTrue(localController),
        note: 'goal: <= 1.1x the local Stream row',
      },
      { name: 'pty stream (bash in a pseudo-terminal)', task: () => runTrue(pty) },
      {
        name: 'ssh shell channel, a bare sentinel',
        task: () => raw.roundTrip(bareLine, false),
        note: 'reference: no command at all',
      },
      {
        name: 'ssh shell channel, `true` run by the shell itself',
        task: () => raw.roundTrip(withoutSubshellLine, true),
        note: 'reference: `exit 3` would end the shell',
      },
      { name: 'ssh stream (shell channel + sentinel)', task: () => runTrue(stream) },
      {
        name: 'ssh Stream: queue, journal, task folder, data fetch',
        task: () => sshStream.runFg('true'),
        note: scenario,
      },
      {
        name: 'ssh Controller: a `true` fg Command through execute',
        task: () => commandTrue(sshController),
        note: 'goal: <= 1.1x the ssh Stream row',
      },
      {
        name: 'ssh2 exec channel per task, TCP_NODELAY',
        task: () => runTrue(execChannels),
        note: 'the execPerCommand fallback',
      },
    ])),
  );
  const floor = rows[0];
  await Promise.all([local.close(), localStream.close(), pty.close(), raw.close()]);
  connection.close();
  await Promise.all([stream.close(), sshStream.close(), execChannels.close()]);
  await Promise.all([localController.dispose(), sshController.dispose()]);

  const master = spawn(
    'ssh',
    ['-F', clientConfig, '-o', 'ControlMaster=yes', '-o', `ControlPath=${controlPath}`, '-N', 'bench'],
    {
      stdio: 'ignore',
    },
  );
  for (let attempt = 0; attempt < 200; attempt++) {
    const check = spawnSync('ssh', [
      '-F',
      clientConfig,
      '-o',
      `ControlPath=${controlPath}`,
      '-O',
      'check',
      'bench',
    ]);
    if (check.status === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  rows.push(
    await measure(
      'OpenSSH ControlMaster, one ssh process per task',
      controlMasterTasks,
      () => runProcess('ssh', ['-F', clientConfig, '-o', `ControlPath=${controlPath}`, 'bench', 'true']),
      { note: `${controlMasterTasks} tasks` },
    ),
  );
  master.kill('SIGTERM');

  rows.push(
    await measure(
      'OpenSSH, a new ssh connection per task',
      sshProcessTasks,
      () => runProcess('ssh', [...openssh, '-o', 'ControlPath=none', 'bench', 'true']),
      { warmup: 3, note: `${sshProcessTasks} tasks: each one is a full handshake` },
    ),
  );

  const sshRow = rows.find((row) => row.name.startsWith('ssh stream')) as Row;
  const localRow = rows.find((row) => row.name === 'local stream') as Row;
  const rowNamed = (prefix: string) => rows.find((row) => row.name.startsWith(prefix)) as Row;
  const controllerGoal = (kind: 'local' | 'ssh') => {
    const ratio = rowNamed(`${kind} Controller`).medianMs / rowNamed(`${kind} Stream`).medianMs;
    return {
      text: `${kind} Controller row ${ratio.toFixed(2)}x the ${kind} Stream row <= 1.1x`,
      met: ratio <= 1.1,
    };
  };
  const goals = [
    controllerGoal('local'),
    controllerGoal('ssh'),
    { text: `ssh stream median ${sshRow.medianMs.toFixed(3)} ms <= 0.5 ms`, met: sshRow.medianMs <= 0.5 },
    {
      text: `local stream median ${(localRow.medianMs / floor.medianMs).toFixed(2)}x the floor <= 1.2x`,
      met: localRow.medianMs <= 1.2 * floor.medianMs,
    },
  ];
  const flags = `--tasks ${tasks} --control-master ${controlMasterTasks} --ssh-processes ${sshProcessTasks}`;
  console.log(`\n${table(rows, floor)}\n`);
  console.log(
    `npm run bench:streams -- ${flags}   (node ${process.version}, ${cpus().length} CPUs, sshd on ${sshd.host})`,
  );
  for (const goal of goals) console.log(`${goal.met ? 'met' : 'MISSED'}: ${goal.text}`);
  process.exitCode = goals.every((goal) => goal.met) ? 0 : 1;
} finally {
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
}
