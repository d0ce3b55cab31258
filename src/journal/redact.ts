/** What a secret value is replaced with in everything the journal hands on (S2). */
export const REDACTED = '***';

/** Values shorter than this are not redacted: they would blank out ordinary text. */
export const SHORTEST_SECRET = 4;

/** The params whose values are secrets (S2): `*pass*`, `*pwd*`, `*token*`, `*secret*`, `*key*`, any case. */
export const SECRET_PARAM = /pass|pwd|token|secret|key/i;

/**
 * Known secret values, replaced in every string of an event before anyone sees it: the journal file, the
 * results folder derived from it, reports, the console. A value split across two output chunks is not seen.
 */
export class Redactor {
  private readonly values = new Set<string>();

  add(values: Iterable<string>): void {
    for (const value of values) if (value.length >= SHORTEST_SECRET) this.values.add(value);
  }

  get empty(): boolean {
    return this.values.size === 0;
  }

  /** Whether `text` holds a secret value, by the same rule `text` replaces them. */
  holds(text: string): boolean {
    for (const value of this.values) if (text.includes(value)) return true;
    return false;
  }

  text(text: string): string {
    let result = text;
    for (const value of this.values) if (result.includes(value)) result = result.replaceAll(value, REDACTED);
    return result;
  }

  /** A copy of `value` with every secret replaced; the same object when none is in it. */
  deep<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) {
      const items = value.map((item: unknown) => this.deep(item));
      return (items.some((item, index) => item !== value[index]) ? items : value) as T;
    }
    if (value === null || typeof value !== 'object') return value;
    let copy: Record<string, unknown> | undefined;
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      const clean = this.deep(field);
      if (clean !== field) (copy ??= { ...(value as Record<string, unknown>) })[key] = clean;
    }
    return (copy ?? value) as T;
  }
}

/** The values of a variant's params whose key names a secret, flattened from nested params. */
export function secretParamValues(params: Record<string, unknown>): string[] {
  const found: string[] = [];
  const visit = (value: unknown, secret: boolean) => {
    if (typeof value === 'string' || typeof value === 'number') {
      if (secret) found.push(String(value));
    } else if (Array.isArray(value)) for (const item of value) visit(item, secret);
    else if (value !== null && typeof value === 'object')
      for (const [key, field] of Object.entries(value)) visit(field, secret || SECRET_PARAM.test(key));
  };
  visit(params, false);
  return found;
}

// Names that match the secret patterns by accident: the working directories hold no secret.
const NOT_SECRET_ENV = new Set(['PWD', 'OLDPWD']);

/** The values of environment variables whose names match the secret patterns, long enough to redact. */
export function secretEnvValues(env: Record<string, string | undefined>): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    !NOT_SECRET_ENV.has(name) &&
    SECRET_PARAM.test(name) &&
    value !== undefined &&
    value.length >= SHORTEST_SECRET
      ? [value]
      : [],
  );
}
