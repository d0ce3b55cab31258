import test from 'ava';
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../src/session/diagnostics.ts';
import type { Diagnostic } from '../../src/session/diagnostics.ts';
import { parseScript, sha256 } from '../../src/session/parse.ts';
import { helpText, REGISTRY } from '../../src/session/registry.ts';
import { stepsOf } from '../../src/session/script.ts';

// Parse scripts held in memory: path to text.
function parse(files: Record<string, string>, env: Record<string, string> = {}) {
  const texts = new Map(Object.entries(files).map(([path, text]) => [resolve('/s', path), text]));
  return parseScript('/s/main.baton', {
    read: (path) => texts.get(path),
    env,
    displayName: (path) => path.replace('/s/', ''),
  });
}

// What the tests assert of diagnostics: their codes and where they point.
const positions = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.map(({ code, line, col }) => [code, line, col]);

const CORE = `# baton session 1
# tool=0.2.0 cols=120 rows=40 tz=UTC timeout=30s
host srv = \${SRV_HOST:-local}
host cli = ssh://tester@10.0.0.2:2222
open server on srv timeout=5s
open c1 on cli pty
open c2 on local
group clients = c1,c2
bg server: ./netserver -p \${param:port@/run/net} -D $HOME \${X}
expect server stdout /listening on \\d+/ since @step1
fg @clients: ping -c1 \${host:srv}
expect c1 exit 0
expect c1 status passed
expect barrier ready go
expect stream c2 idle
bg {c1,c2}: <<EOF
echo one
echo "$two"
EOF
send c1: \${secret:PASSWORD}
barrier ready 3 timeout=1m
hold ready
hold all
step
step ready
release all
wait
wait @clients
settle server 200ms
mark before
variants v.yaml
variant run-short-beaf
close c2
for variant in /run/short !/run/short/slow
fg server: echo \${param:size}
end
finally
close server
`;

test('every core word parses into the controller command it names', (t) => {
  const { script, errors } = parse({ 'main.baton': CORE, 'v.yaml': 'run: {}' }, { SRV_HOST: '' });
  t.deepEqual(errors, []);
  t.like(script.header, { tool: '0.2.0', cols: '120', tz: 'UTC', timeout: '30s' });
  t.deepEqual(script.hosts, { srv: 'local', cli: 'ssh://tester@10.0.0.2:2222' });
  t.deepEqual(script.secrets, ['PASSWORD']);
  t.deepEqual(script.variantFiles, ['/s/v.yaml']);
  const steps = [...stepsOf(script.items)];
  const commands = steps.map((step) => (step.action.kind === 'command' ? step.action.command : step.action));
  t.deepEqual(commands.slice(0, 5), [
    { kind: 'open', stream: 'server', host: 'local', timeoutMs: 5000 },
    { kind: 'open', stream: 'c1', host: 'ssh://tester@10.0.0.2:2222', pty: true },
    { kind: 'open', stream: 'c2', host: 'local' },
    { kind: 'group', name: 'clients', streams: ['c1', 'c2'] },
    { kind: 'bg', target: 'server', block: './netserver -p ${param:port@/run/net} -D $HOME ${X}' },
  ]);
  t.deepEqual(
    steps[4]?.expects.map((line) => line.expectation),
    [{ subject: 'output', stream: 'server', fd: 'stdout', pattern: 'listening on \\d+', since: '@step1' }],
  );
  t.is(steps[5]?.expects.length, 4);
  t.deepEqual(commands[6], { kind: 'bg', target: '{c1,c2}', block: 'echo one\necho "$two"\n' });
  t.deepEqual(commands.slice(7), [
    { kind: 'send', target: 'c1', text: '${secret:PASSWORD}' },
    { kind: 'barrier', name: 'ready', count: 3, timeoutMs: 60_000 },
    { kind: 'hold', barrier: 'ready' },
    { kind: 'hold', all: true },
    { kind: 'step' },
    { kind: 'step', barrier: 'ready' },
    { kind: 'release' },
    { kind: 'wait' },
    { kind: 'wait', target: '@clients' },
    { kind: 'settle', stream: 'server', ms: 200 },
    { kind: 'mark', name: 'before' },
    { kind: 'bind-variant', variant: 'run-short-beaf' },
    { kind: 'close', stream: 'c2' },
    { kind: 'fg', target: 'server', block: 'echo ${param:size}' },
  ]);
  t.like(script.items.at(-1), { type: 'for', line: 34, filter: ['/run/short', '!/run/short/slow'] });
  t.deepEqual(
    script.finally.map((item) => item.type === 'step' && item.step.line),
    [38],
  );
});

test('every error of a bad script is reported in one pass, each with file:line:col and its code', (t) => {
  const bad = [
    '# baton session 1',
    'open a on local',
    'frobnicate a',
    'fg nosuch: true',
    'expect a exit x',
    'barrier b zero',
    'open b on local timeout=5 lightly',
    'bg a: echo ${host:nowhere}',
    'expect a stdout /(/',
    'bg a: <<EOF',
    'echo never closed',
  ].join('\n');
  const { errors } = parse({ 'main.baton': bad });
  t.deepEqual(positions(errors), [
    ['SESSION_UNKNOWN_COMMAND', 3, 1],
    ['SESSION_UNKNOWN_STREAM', 4, 4],
    ['SESSION_BAD_ARGUMENT', 5, 15],
    ['SESSION_BAD_ARGUMENT', 6, 11],
    ['SESSION_BAD_ARGUMENT', 7, 25],
    ['SESSION_SYNTAX', 7, 27],
    ['SESSION_UNDEFINED_VARIABLE', 8, 12],
    ['SESSION_BAD_ARGUMENT', 9, 18],
    ['SESSION_UNCLOSED_BLOCK', 10, 7],
  ]);
  t.is(
    formatDiagnostic(errors[1]),
    'main.baton:4:4: no stream nosuch is opened before this line [SESSION_UNKNOWN_STREAM]\n  fg nosuch: true\n     ^',
  );
});

test('an unknown format version is refused naming both versions', (t) => {
  const { errors } = parse({ 'main.baton': '# baton session 7\nopen a on local\n' });
  t.is(errors.length, 1);
  t.like(errors[0], { code: 'SESSION_VERSION', line: 1, col: 17 });
  t.regex(errors[0].message, /7.*1/);
  t.is(parse({ 'main.baton': 'open a on local\n' }).errors[0]?.code, 'SESSION_VERSION');
});

test('source inlines another file with its own positions; a cycle and a missing file are errors', (t) => {
  const { script, errors } = parse({
    'main.baton': '# baton session 1\nsource setup.baton\nfg a: true\nsource gone.baton\n',
    'setup.baton': '# baton session 1\nopen a on local\nsource main.baton\n',
  });
  t.deepEqual(
    [...stepsOf(script.items)].map((step) => [step.file, step.line]),
    [
      ['/s/setup.baton', 2],
      ['/s/main.baton', 3],
    ],
  );
  t.deepEqual(
    errors.map(({ code, file, line }) => [code, file, line]),
    [
      ['SESSION_SOURCE_CYCLE', 'setup.baton', 3],
      ['SESSION_FILE_MISSING', 'main.baton', 4],
    ],
  );
});

test('structure errors: expect before a step, end without for, unclosed for, host without default', (t) => {
  const { errors } = parse({
    'main.baton':
      '# baton session 1\nexpect barrier x go\nend\nhost h = ${NOPE}\nfor variant in /run\nopen a on local\n',
  });
  t.deepEqual(
    errors.map(({ code, line }) => [code, line]),
    [
      ['SESSION_SYNTAX', 2],
      ['SESSION_SYNTAX', 3],
      ['SESSION_UNDEFINED_VARIABLE', 4],
      ['SESSION_UNCLOSED_BLOCK', 5],
    ],
  );
});

test('help comes from the registry: one line per word', (t) => {
  const help = helpText();
  for (const definition of REGISTRY) t.true(help.includes(`${definition.name} ${definition.args}`));
});

test('warnings: a changed pinned variant file and a literal volatile token in an expectation', (t) => {
  const tree = 'size: !mux\n  a:\n    n: 1\n';
  const pinned = `# baton session 1\n# tz=UTC variants=v.yaml@${sha256(tree)}\nopen a on local\nfg a: echo pid=4242\nexpect a stdout /pid=4242/\nexpect a stdout /pid=\\d+/\n`;
  t.deepEqual(
    parse({ 'main.baton': pinned, 'v.yaml': tree }).warnings.map(({ code, line }) => [code, line]),
    [['SESSION_VOLATILE_LITERAL', 5]],
  );
  const changed = parse({ 'main.baton': pinned, 'v.yaml': tree + '  b:\n    n: 2\n' });
  t.deepEqual(changed.errors, []);
  t.like(changed.warnings[0], { code: 'SESSION_VARIANT_CHANGED', line: 2, col: 19 });
});

test('an output expectation reads /REGEX/FLAGS [since MARK] up to its last slash, as one expression would', (t) => {
  const lines = [
    'expect a stdout /a/b/',
    'expect a stdout /x/gi   ',
    'expect a stderr /p/ since @step1',
    'expect a stdout /u\\/v/m since m2  ',
    'expect a stdout /a/ since',
    'expect a stdout /a/g i',
    'expect a stdout /',
    'expect a stdout no-slash',
  ];
  const { script, errors } = parse({
    'main.baton': ['# baton session 1', 'open a on local', 'fg a: true', ...lines].join('\n'),
  });
  const [step] = [...stepsOf(script.items)].slice(1);
  t.deepEqual(
    step?.expects.map(({ expectation }) => expectation),
    [
      { subject: 'output', stream: 'a', fd: 'stdout', pattern: 'a/b' },
      { subject: 'output', stream: 'a', fd: 'stdout', pattern: 'x', flags: 'gi' },
      { subject: 'output', stream: 'a', fd: 'stderr', pattern: 'p', since: '@step1' },
      { subject: 'output', stream: 'a', fd: 'stdout', pattern: 'u\\/v', flags: 'm', since: 'm2' },
    ],
  );
  t.deepEqual(positions(errors), [
    ['SESSION_SYNTAX', 8, 17],
    ['SESSION_SYNTAX', 9, 17],
    ['SESSION_SYNTAX', 10, 17],
    ['SESSION_SYNTAX', 11, 17],
  ]);
});

test('variables are found in any number, and ${...} of other spaces is left alone', (t) => {
  const { script, errors } = parse({
    'main.baton': [
      '# baton session 1',
      'open a on local',
      'fg a: ${env:X} ${param:p@/a}${secret:TOKEN} ${param:q} ${host:',
      'fg a: ${secret:bad name}',
    ].join('\n'),
  });
  t.deepEqual(script.secrets, ['TOKEN']);
  t.deepEqual(positions(errors), [['SESSION_UNDEFINED_VARIABLE', 4, 7]]);
});
