import manifest from '../package.json' with { type: 'json' };

/** The package version, from package.json (inlined when a module block is bundled). */
export const TOOL_VERSION: string = manifest.version;
export const TOOL_NAME: string = manifest.name;
