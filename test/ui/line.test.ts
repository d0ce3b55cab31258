import test from 'ava';
import { caretLine } from '../../ui/app/line.tsx';

test('an error under the command line keeps its caret and, when cut to the width, its code', (t) => {
  t.is(
    caretLine(3, 'unknown command "x" [SESSION_UNKNOWN_COMMAND]', 80),
    '   ^ unknown command "x" [SESSION_UNKNOWN_COMMAND]',
  );
  const long =
    'bad regular expression: Invalid regular expression: /(/: Unterminated group [SESSION_BAD_ARGUMENT]';
  const cut = caretLine(22, long, 80);
  t.is(cut.length, 80);
  t.true(cut.startsWith(`${' '.repeat(22)}^ bad regular expression: Invalid`));
  t.true(cut.endsWith('~ [SESSION_BAD_ARGUMENT]'));
  t.is(caretLine(1, 'x'.repeat(100), 40), ` ^ ${'x'.repeat(36)}~`);
});
