/** The controller's environment as a plain shell gets it: without the variables that make a shell read rc files. */

/** BASH_ENV: a non-interactive bash sources it; ENV: an interactive sh (and bash as sh) sources it. */
const STARTUP_VARIABLES = ['BASH_ENV', 'ENV'] as const;

/**
 * `process.env` without BASH_ENV and ENV, or undefined when it has neither (so that a child can inherit
 * process.env without a copy). A stream's own environment may still set them.
 */
export function plainProcessEnv(): NodeJS.ProcessEnv | undefined {
  if (STARTUP_VARIABLES.every((name) => process.env[name] === undefined)) return undefined;
  const env = { ...process.env };
  for (const name of STARTUP_VARIABLES) delete env[name];
  return env;
}
