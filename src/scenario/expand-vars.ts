import { BatonError } from '../errors.ts';

/**
 * Expand `${VAR}` and `${VAR:-default}` from the environment (so that CI can remap hosts); a variable that is
 * unset and has no default is an error at its position.
 */
export function expandVariables(
  text: string,
  env: Record<string, string | undefined>,
  position: { file: string; line: number; col: number },
): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_match, name: string, fallback: string | undefined, offset: number) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      throw new BatonError(
        'HOST_BAD_SPEC',
        `\${${name}} is not set and has no default (write \${${name}:-default})`,
        {
          ...position,
          col: position.col + offset,
        },
      );
    },
  );
}
