/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = rows[i];
      const above = rows[i - 1];
      row[j] = Math.min(above[j] + 1, row[j - 1] + 1, above[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/** The candidate closest to `word` (a typo or a prefix of it), or undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; cost: number } | undefined;
  for (const name of candidates) {
    const cost = name.startsWith(word) && word.length >= 2 ? 1 : distance(word, name);
    if (cost <= Math.max(1, Math.floor(name.length / 3)) && (!best || cost < best.cost))
      best = { name, cost };
  }
  return best?.name;
}

/** The long options a usage text names (`--hosts`, `--filter-only`...). */
export function optionsOf(usage: string): string[] {
  return [...new Set(usage.match(/--[a-z][a-z-]*/g) ?? [])];
}
