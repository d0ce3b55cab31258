import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BatonError, errorMessage } from '../errors.ts';
import type { ScenarioContext } from './context.ts';
import { prepareScenarioImports } from './scenario-imports.ts';

export type ScenarioFunction = (context: ScenarioContext) => unknown;

/** Import a scenario module and return its function: the default export, or an export named `scenario`. */
export async function loadScenario(file: string): Promise<ScenarioFunction> {
  if (!existsSync(file)) throw new BatonError('FILE_NOT_FOUND', `scenario not found: ${file}`, { file });
  let loaded: Record<string, unknown>;
  await prepareScenarioImports();
  try {
    loaded = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new BatonError(
      'SCENARIO_INVALID',
      `cannot load scenario ${file}: ${errorMessage(error)}`,
      { file },
      { cause: error },
    );
  }
  const candidate = loaded.default ?? loaded.scenario;
  if (typeof candidate !== 'function') {
    throw new BatonError(
      'SCENARIO_INVALID',
      `${file} must export a scenario function (export default async function (ctx) {...})`,
      {
        file,
      },
    );
  }
  return candidate as ScenarioFunction;
}
