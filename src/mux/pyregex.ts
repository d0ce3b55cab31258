/**
 * Python `re` patterns (the reference's `!remove_node`/`!remove_value` arguments and its params-path
 * regexes) as JS RegExps. The common syntax is the same; this translates what differs: named groups,
 * `\A`/`\Z`, `$` before a final newline, Unicode `\d`/`\w`, lone braces, inline flags and escapes that
 * JS's Unicode mode refuses.
 */

/** A pattern the reference would refuse (`re.error`). */
export class PythonRegexError extends Error {}

/** `re.match` (anchored at the start) or `re.search` semantics. */
export function compilePythonRegex(source: string, mode: 'match' | 'search'): RegExp {
  const { body, flags } = splitInlineFlags(source);
  const translated = translate(body);
  const wrapped = mode === 'match' ? `^(?:${translated})` : translated;
  try {
    return new RegExp(wrapped, flags + 'u');
  } catch {
    try {
      return new RegExp(mode === 'match' ? `^(?:${body})` : body, flags);
    } catch (error) {
      throw new PythonRegexError((error as Error).message);
    }
  }
}

function splitInlineFlags(source: string): { body: string; flags: string } {
  const match = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (!match) return { body: source, flags: '' };
  if (/[Lx]/.test(match[1])) throw new PythonRegexError(`unsupported inline flags (?${match[1]})`);
  const flags = [...new Set(match[1].replace(/[au]/g, ''))].join('');
  return { body: source.slice(match[0].length), flags };
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const WORD = '\\p{L}\\p{N}_';

function translate(source: string): string {
  let out = '';
  let inClass = false;
  for (let at = 0; at < source.length; at++) {
    const char = source[at];
    if (char === '\\') {
      const next = source[at + 1];
      at++;
      if (next === undefined) throw new PythonRegexError('bad escape (end of pattern)');
      out += escape(next, inClass);
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      out += char === '[' ? '\\[' : char;
      continue;
    }
    if (char === '[') {
      inClass = true;
      out += '[';
      if (source[at + 1] === '^') out += source[++at];
      if (source[at + 1] === ']') {
        out += '\\]';
        at++;
      }
      continue;
    }
    if (char === '(' && source.startsWith('(?P<', at)) {
      out += '(?<';
      at += 3;
      continue;
    }
    if (char === '(' && source.startsWith('(?P=', at)) {
      const end = source.indexOf(')', at);
      out += `\\k<${source.slice(at + 4, end)}>`;
      at = end;
      continue;
    }
    if (char === '(' && source.startsWith('(?#', at)) {
      at = source.indexOf(')', at);
      if (at < 0) throw new PythonRegexError('missing ), unterminated comment');
      continue;
    }
    if (char === '$') {
      out += '(?=\\n?$)';
      continue;
    }
    if (char === '{' && !/^\{\d*(?:,\d*)?\}/.test(source.slice(at))) {
      out += '\\{';
      continue;
    }
    if (char === '}' && !/\{\d*(?:,\d*)?$/.test(source.slice(0, at))) {
      out += '\\}';
      continue;
    }
    out += char;
  }
  if (inClass) throw new PythonRegexError('unterminated character set');
  return out;
}

function escape(char: string, inClass: boolean): string {
  switch (char) {
    case 'A':
      return inClass ? 'A' : '^';
    case 'Z':
      return inClass ? 'Z' : '$';
    case 'd':
      return '\\p{Nd}';
    case 'D':
      return inClass ? '\\D' : '\\P{Nd}';
    case 'w':
      return inClass ? WORD : `[${WORD}]`;
    case 'W':
      return inClass ? '\\W' : `[^${WORD}]`;
  }
  if (/[a-zA-Z0-9]/.test(char)) return '\\' + char;
  if (SYNTAX.has(char) || (inClass && char === '-')) return '\\' + char;
  return char;
}
