import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BatonError, errorMessage } from '../errors.ts';
import type { ScenarioContext } from './context.ts';
import { prepareScenarioImports } from './scenario-imports.ts';
import { codeFrame, esbuildError } from './source-position.ts';

export type ScenarioFunction = (context: ScenarioContext) => unknown;

/**
 * Import a scenario module and return its function: the default export, or an export named `scenario`.
 * `shown` is how the file is named in errors (as the user wrote it); a syntax error carries its 1-based
 * position and, in `fields.frame`, the source line with a caret under the column.
 */
export async function loadScenario(file: string, shown = file): Promise<ScenarioFunction> {
  if (!existsSync(file)) throw new BatonError('FILE_NOT_FOUND', 'no such scenario file', { file: shown });
  let loaded: Record<string, unknown>;
  await prepareScenarioImports();
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const syntax = esbuildError(error);
    if (syntax) {
      const position = { file: shown, line: syntax.line, col: syntax.col };
      const frame = codeFrame({ ...position, file: syntax.file });
      throw new BatonError('SCENARIO_INVALID', syntax.message, { ...position, frame }, { cause: error });
    }
    throw new BatonError(
      'SCENARIO_INVALID',
      `cannot load scenario: ${errorMessage(error)}`,
      { file: shown },
      { cause: error },
    );
  }
  const candidate = loaded.default ?? loaded.scenario;
  if (typeof candidate !== 'function') {
    throw new BatonError(
      'SCENARIO_INVALID',
      'a scenario module must export a scenario function (export default async function (ctx) {...})',
      { file: shown },
    );
  }
  return candidate as ScenarioFunction;
}
