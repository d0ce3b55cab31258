/**
 * Path patterns of the additions: `*` matches within one level (like the reference's params paths), a
 * `**` component matches any number of levels, including none.
 */

export interface PathGlob {
  source: string;
  regex: RegExp;
  /** Fewer `**`, then fewer `*`, then more components is more specific. */
  specificity: readonly [doubleStars: number, stars: number, components: number];
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

/** Compile a `/`-separated pattern; `subtree` adds an implied trailing `/**` (the node and all below). */
export function compileGlob(pattern: string, subtree = false): PathGlob {
  const components = pattern.split('/').filter((component, index) => index > 0 || component !== '');
  let body = '';
  let doubleStars = 0;
  let stars = 0;
  for (const component of components) {
    if (component === '**') {
      doubleStars++;
      body += '(?:/[^/]*)*';
      continue;
    }
    stars += (component.match(/\*/g) ?? []).length;
    body += '/' + component.split('*').map(escapeRegex).join('[^/]*');
  }
  const regex = new RegExp(`^${body}${subtree ? '(?:/.*)?' : ''}$`, 's');
  return { source: pattern, regex, specificity: [doubleStars, stars, components.length] };
}

/** Whether a node path (`/` for the root) matches. */
export function globMatches(glob: PathGlob, path: string): boolean {
  return glob.regex.test(path === '/' ? '' : path);
}

/** Negative when `a` is more specific than `b`. */
export function compareSpecificity(a: PathGlob, b: PathGlob): number {
  const [ad, as, ac] = a.specificity;
  const [bd, bs, bc] = b.specificity;
  return ad - bd || as - bs || bc - ac;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
