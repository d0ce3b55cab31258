/** Words of a POSIX shell command line as `shlex.split` reads them (quotes and backslashes), no expansion. */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'") {
      const end = text.indexOf("'", index + 1);
      const stop = end < 0 ? text.length : end;
      word = (word ?? '') + text.slice(index + 1, stop);
      index = stop;
    } else if (char === '"') {
      word ??= '';
      for (index++; index < text.length && text[index] !== '"'; index++) {
        if (text[index] === '\\' && /["\\$`]/.test(text[index + 1] ?? '')) index++;
        word += text[index];
      }
    } else if (char === '\\' && index + 1 < text.length) {
      word = (word ?? '') + text[++index];
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
