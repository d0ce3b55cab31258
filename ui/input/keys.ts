/** One key as the reducer sees it: a name, the text it types, and the bytes it came as (forwarded on attach). */
export interface Key {
  /** `char` for printable text, `paste` for a bracketed paste, else the key's name (`return`, `up`, `ctrl-c`). */
  name: string;
  /** The character typed (`char`) or the text pasted (`paste`). */
  text?: string;
  /** The bytes the terminal sent for this key. */
  raw: string;
}

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/** Written on start and on exit: the terminal then wraps pastes in PASTE_START ... PASTE_END. */
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';

const SEQUENCES: Record<string, string> = {
  '[A': 'up',
  '[B': 'down',
  '[C': 'right',
  '[D': 'left',
  '[H': 'home',
  '[F': 'end',
  OA: 'up',
  OB: 'down',
  OC: 'right',
  OD: 'left',
  OH: 'home',
  OF: 'end',
  '[1~': 'home',
  '[4~': 'end',
  '[7~': 'home',
  '[8~': 'end',
  '[2~': 'insert',
  '[3~': 'delete',
  '[5~': 'pageup',
  '[6~': 'pagedown',
  '[Z': 'shift-tab',
};

const CONTROL: Record<number, string> = {
  0x09: 'tab',
  0x0d: 'return',
  0x0a: 'return',
  0x7f: 'backspace',
  0x08: 'backspace',
  0x1b: 'escape',
  0x1c: 'ctrl-\\',
  0x1d: 'ctrl-]',
  0x1e: 'ctrl-^',
  0x1f: 'ctrl-_',
  0x00: 'ctrl-space',
};

// A CSI sequence: ESC [ parameters intermediates final; or SS3: ESC O X.
const CSI = /^\x1b\[[0-?]*[ -/]*[@-~]/;
const SS3 = /^\x1bO./;

/**
 * Splits raw terminal input into single keys (K6): a burst of keys read in one chunk gives one key each, an
 * escape sequence stays whole, and a bracketed paste is one `paste` key even when it spans several chunks.
 */
export class KeySplitter {
  private pasting: string | undefined;

  /** The keys in `chunk`, in order; an unfinished paste is kept for the next chunk. */
  split(chunk: string): Key[] {
    const keys: Key[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      if (this.pasting !== undefined) {
        const end = rest.indexOf(PASTE_END);
        if (end < 0) {
          this.pasting += rest;
          return keys;
        }
        const text = this.pasting + rest.slice(0, end);
        this.pasting = undefined;
        keys.push({ name: 'paste', text, raw: text });
        rest = rest.slice(end + PASTE_END.length);
        continue;
      }
      if (rest.startsWith(PASTE_START)) {
        this.pasting = '';
        rest = rest.slice(PASTE_START.length);
        continue;
      }
      const [key, length] = firstKey(rest);
      keys.push(key);
      rest = rest.slice(length);
    }
    return keys;
  }
}

function firstKey(text: string): [Key, number] {
  const code = text.charCodeAt(0);
  if (code === 0x1b && text.length > 1) {
    const sequence = CSI.exec(text) ?? SS3.exec(text);
    if (sequence) {
      const raw = sequence[0];
      return [{ name: SEQUENCES[raw.slice(1)] ?? `unknown:${raw.slice(1)}`, raw }, raw.length];
    }
    // ESC then a key: Alt (meta) and that key.
    const [inner, length] = firstKey(text.slice(1));
    return [
      { ...inner, name: `alt-${inner.name === 'char' ? inner.text : inner.name}`, raw: '\x1b' + inner.raw },
      length + 1,
    ];
  }
  const control = CONTROL[code];
  if (control !== undefined) return [{ name: control, raw: text[0] ?? '' }, 1];
  if (code < 0x20) return [{ name: `ctrl-${String.fromCharCode(code + 0x60)}`, raw: text[0] ?? '' }, 1];
  const char = String.fromCodePoint(text.codePointAt(0) ?? code);
  return [{ name: 'char', text: char, raw: char }, char.length];
}
