import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { isBatonError } from '../../src/errors.ts';
import type { TransportOptions } from '../../src/transport/options.ts';
import type { Transport, TransportState } from '../../src/transport/transport.ts';
import { waitFor } from '../helpers/wait.ts';
import { isAlive, MEBIBYTE, run, start } from './helpers.ts';

type Register = (title: string, implementation: (t: ExecutionContext) => Promise<void>) => void;

export interface ContractOptions {
  /** ava's test function for this transport's tier. */
  test: Register;
  /** An open transport for the test, closed by the test's teardown. */
  open: (t: ExecutionContext, options?: TransportOptions) => Promise<Transport>;
  /** A terminal merges stderr into stdout and ends lines with \r\n. */
  terminal: boolean;
  /** Whether the transport answers ExecRequest.probe (all but the exec-channel fallback). @default true */
  probes?: boolean;
}

const eol = (terminal: boolean) => (terminal ? '\r\n' : '\n');

/** The behaviour every transport shares, registered once per transport against its real counterpart. */
export function transportContract(
  name: string,
  { test, open, terminal, probes = true }: ContractOptions,
): void {
  const nl = eol(terminal);

  test(`${name}: exit codes, and exit 3 ends only the command`, async (t) => {
    const transport = await open(t);
    const failed = await run(transport, 'echo before; exit 3');
    t.is(failed.exitCode, 3);
    t.is(failed.signal, null);
    t.is(failed.stdout, `before${nl}`);
    const next = await run(transport, 'echo after');
    t.is(next.exitCode, 0);
    t.is(next.stdout, `after${nl}`);
    t.is((await run(transport, 'false')).exitCode, 1);
    t.is((await run(transport, 'this-command-does-not-exist-here')).exitCode, 127);
  });

  test(`${name}: stdout and stderr`, async (t) => {
    const transport = await open(t);
    const result = await run(transport, 'echo out; echo err >&2; printf tail');
    if (terminal) {
      t.is(result.stdout, `out${nl}err${nl}tail`);
      t.is(result.stderrCalls, 0);
    } else {
      t.is(result.stdout, 'out\ntail');
      t.is(result.stderr, 'err\n');
    }
  });

  test(`${name}: 1 MiB of output arrives in chunks as it is produced`, async (t) => {
    const transport = await open(t);
    const result = await run(transport, `head -c ${MEBIBYTE} /dev/zero | tr '\\0' x`);
    t.is(result.exitCode, 0);
    t.is(result.stdoutBytes, MEBIBYTE);
    t.true(result.stdoutChunks > 4, `${result.stdoutChunks} chunks`);
    t.true(result.largestChunk <= MEBIBYTE / 4, `largest chunk ${result.largestChunk} bytes`);
    t.is((await run(transport, 'echo next')).stdout, `next${nl}`);
  });

  test(`${name}: environment and working directory of the stream and of one command`, async (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'baton-transport-cwd-'));
    t.teardown(() => rmSync(folder, { recursive: true, force: true }));
    const transport = await open(t, { env: { STREAM_VAR: "stream's value" }, cwd: folder });
    const probe = 'printf "%s|%s|%s" "$STREAM_VAR" "$TASK_VAR" "$(pwd)"';
    t.is((await run(transport, probe)).stdout, `stream's value||${folder}`);
    t.is(
      (await run(transport, probe, { env: { TASK_VAR: 'a b' }, cwd: '/' })).stdout,
      "stream's value|a b|/",
    );
    t.is((await run(transport, probe)).stdout, `stream's value||${folder}`);
  });

  test(`${name}: a command of several lines, with quotes and a here-document; stdin is empty`, async (t) => {
    const transport = await open(t, { env: { MULTI: "line one\nline 'two'" } });
    const script = [
      `x="it's"`,
      'if true; then',
      `  printf '%s|' "$x" "$MULTI"`,
      'fi',
      "cat <<'END'",
      "here 'doc' $x",
      'END',
    ];
    const result = await run(transport, script.join('\n'));
    t.is(result.stdout, `it's|line one${nl}line 'two'|here 'doc' $x${nl}`);
    t.is(result.exitCode, 0);
    if (!terminal) {
      t.is((await run(transport, 'cat; echo "read:$?"')).stdout, 'read:0\n', 'cat reads an empty stdin');
      t.is((await run(transport, 'echo next')).stdout, 'next\n', 'and did not eat the next command');
    }
  });

  test(`${name}: kill ends a running command and its children; the next command runs`, async (t) => {
    const transport = await open(t);
    const running = start(transport, 'sleep 1000 & echo "child=$!"; sleep 1000');
    const child = await waitFor(() => /child=(\d+)/.exec(running.output.stdout)?.[1], {
      what: 'the child pid',
    });
    await running.execution.kill('SIGTERM');
    const result = await running.done;
    t.is(result.exitCode, null);
    t.is(result.signal, 'SIGTERM');
    await waitFor(() => !isAlive(Number(child)), { what: `child ${child} to end` });
    t.is((await run(transport, 'echo still here')).stdout, `still here${nl}`);

    const second = start(transport, 'echo started; sleep 1000');
    await waitFor(() => second.output.stdout.includes('started'), { what: 'the second command' });
    await transport.kill('SIGKILL');
    t.is((await second.done).signal, 'SIGKILL');

    const third = start(transport, 'echo started; sleep 1000');
    await waitFor(() => third.output.stdout.includes('started'), { what: 'the third command' });
    await third.execution.kill('SIGINT');
    t.is((await third.done).signal, 'SIGINT');
    t.is((await run(transport, 'echo last')).stdout, `last${nl}`);
  });

  test(`${name}: files go up and come back; temporary folders go with close`, async (t) => {
    const local = mkdtempSync(join(tmpdir(), 'baton-transport-files-'));
    t.teardown(() => rmSync(local, { recursive: true, force: true }));
    mkdirSync(join(local, 'ship', 'data'), { recursive: true });
    writeFileSync(join(local, 'ship', 'run.sh'), '#!/bin/sh\necho "ran with $(cat data/input)"\n', {
      mode: 0o755,
    });
    writeFileSync(join(local, 'ship', 'data', 'input'), 'forty-two');
    const transport = await open(t);
    const work = await transport.makeTempDir('baton-test-');
    await transport.upload(join(local, 'ship'), `${work}/ship`);
    await transport.upload(join(local, 'ship', 'run.sh'), `${work}/single/copy.sh`);
    t.is((await run(transport, './run.sh', { cwd: `${work}/ship` })).stdout, `ran with forty-two${nl}`);
    t.is(
      (await run(transport, `test -x ${work}/single/copy.sh && echo executable`)).stdout,
      `executable${nl}`,
    );

    await run(
      transport,
      `mkdir -p ${work}/out/sub && echo result > ${work}/out/sub/file && printf x > ${work}/out/top`,
    );
    t.true(await transport.download(`${work}/out`, join(local, 'back')));
    t.is(readFileSync(join(local, 'back', 'sub', 'file'), 'utf8'), 'result\n');
    t.is(readFileSync(join(local, 'back', 'top'), 'utf8'), 'x');
    t.false(await transport.download(`${work}/missing`, join(local, 'none')));
    t.throws(() => statSync(join(local, 'none')));

    await transport.close();
    const checker = await open(t);
    t.is((await run(checker, `test -e ${work} && echo kept || echo removed`)).stdout, `removed${nl}`);
  });

  test(`${name}: a probe says which paths hold something once the command ends, also after exit N`, async (t) => {
    const transport = await open(t);
    const work = await transport.makeTempDir('baton-probe-');
    const paths = [`${work}/empty`, `${work}/full`, `${work}/file`, `${work}/hidden`, `${work}/absent`];
    const probe = (command: string) =>
      transport.exec({ command, probe: paths, onStdout: () => undefined, onStderr: () => undefined }).result;
    const setup = `mkdir -p ${work}/empty ${work}/full ${work}/hidden && touch ${work}/full/a ${work}/file ${work}/hidden/.dot`;
    const result = await probe(`${setup}; exit 5`);
    t.is(result.exitCode, 5, 'the probe keeps the exit status');
    if (!probes) {
      t.is(result.present, undefined);
      return;
    }
    t.deepEqual(result.present, [false, true, true, true, false]);
    t.deepEqual((await probe(`rm -r ${work}/full ${work}/file`)).present, [false, false, false, true, false]);
    const plain = await transport.exec({
      command: 'true',
      onStdout: () => undefined,
      onStderr: () => undefined,
    }).result;
    t.is(plain.present, undefined, 'no probe asked, none answered');
  });

  test(`${name}: a probed command's paths and environment keep names that need quoting`, async (t) => {
    const transport = await open(t);
    const work = await transport.makeTempDir('baton-probe-');
    const odd = `${work}/it's a "dir"`;
    const paths = [odd, `${work}/plain`, `${work}/line\nbreak`];
    const env = { IN: `${odd}/x y`, BASE: `${work}/`, OUT: `/elsewhere/it's` };
    const result = await run(transport, `mkdir -p "$IN" && printf '%s|%s|%s' "$IN" "$BASE" "$OUT"`, {
      env,
      probe: paths,
    });
    t.is(result.stdout, `${env.IN}|${env.BASE}|${env.OUT}`);
    if (probes) t.deepEqual(result.present, [true, false, false]);
  });

  test(`${name}: states, and commands after close are refused`, async (t) => {
    const transport = await open(t);
    const states: TransportState[] = [];
    transport.onStateChange((state) => states.push(state));
    t.is(transport.state, 'open');
    await transport.open();
    await transport.close();
    t.is(transport.state, 'closed');
    t.deepEqual(states, ['closed']);
    const error = await t.throwsAsync(run(transport, 'true'));
    t.true(isBatonError(error, 'TRANSPORT_CLOSED'), String(error));
  });
}
