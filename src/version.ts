import { createRequire } from 'node:module';

const manifest = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

/** The package version, read once from package.json. */
export const TOOL_VERSION: string = manifest.version;
export const TOOL_NAME: string = manifest.name;
