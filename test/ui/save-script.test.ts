import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveScript, takeoverText } from '../../ui/console/save-script.ts';
import { scratchDir } from '../helpers/scratch.ts';

const SCRIPT = [
  '# baton session 1',
  '# cols=80 rows=24',
  '# taken-over-from=old.baton sha256=00 line=3',
  'open s1 on local',
  'fg s1: false',
  'expect s1 exit 0',
  'fg s1: echo three',
  'finally',
  'close s1',
  '',
].join('\n');

test('a take-over keeps the steps run (edits applied), appends the hand steps before finally, and comments out the rest', (t) => {
  const text = takeoverText({
    file: '/x/main.baton',
    text: SCRIPT,
    stoppedLine: 7,
    edits: new Map([[5, 'fg s1: true']]),
    handLines: ['fg s1: echo hand', 'expect s1 exit 0'],
  });
  t.regex(
    text,
    /^# baton session 1\n# cols=80 rows=24\n# taken-over-from=main\.baton sha256=[0-9a-f]{64} line=7\n/,
  );
  t.notRegex(text, /old\.baton/, 'an earlier take-over line is replaced');
  t.true(
    text.endsWith(
      [
        'open s1 on local',
        'fg s1: true',
        'expect s1 exit 0',
        'fg s1: echo hand',
        'expect s1 exit 0',
        'finally',
        'close s1',
        '# --- dropped at takeover, line 7 ---',
        '# fg s1: echo three',
        '',
      ].join('\n'),
    ),
    text,
  );
});

test('saving parses the text first: a script that would not parse is not written', (t) => {
  const dir = scratchDir('baton-save-');
  const good = join(dir, 'good.baton');
  t.deepEqual(saveScript(good, '# baton session 1\nopen s1 on local\n'), []);
  t.is(readFileSync(good, 'utf8'), '# baton session 1\nopen s1 on local\n');
  const bad = join(dir, 'bad.baton');
  writeFileSync(bad, 'kept\n');
  const problems = saveScript(bad, '# baton session 1\nfrob s1\n');
  t.regex(problems[0] ?? '', /not saved/);
  t.is(readFileSync(bad, 'utf8'), 'kept\n', 'the file in place is left as it was');
  t.false(existsSync(`${bad}.tmp-${process.pid}`));
});
