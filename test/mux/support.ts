/** Small helpers of the multiplexer tests: a tree from in-memory files, its variants and params. */
import { expandVariants, prepareVariants } from '../../src/mux/pipeline.ts';
import type { PreparedVariants, VariantOptions } from '../../src/mux/pipeline.ts';
import { memoryReader } from '../../src/mux/readers.ts';
import type { Variant } from '../../src/mux/variant.ts';

export type Files = Record<string, string>;

/** Prepare variants from in-memory files; `specs` default to `main.yaml`. */
export function prepare(
  files: Files,
  options: Partial<Omit<VariantOptions, 'reader'>> = {},
): PreparedVariants {
  return prepareVariants({ files: options.files ?? ['main.yaml'], reader: memoryReader(files), ...options });
}

/** The variants of in-memory files; fails the test when loading reported errors. */
export function variantsOf(files: Files, options: Partial<Omit<VariantOptions, 'reader'>> = {}): Variant[] {
  const prepared = prepare(files, options);
  if (prepared.errors.length > 0) {
    throw new Error(
      `unexpected errors: ${prepared.errors.map((error) => `${error.code} ${error.message}`).join('; ')}`,
    );
  }
  return [...expandVariants(prepared.plan!)];
}

/** Leaf paths of each variant. */
export function leafPaths(variants: readonly Variant[]): string[][] {
  return variants.map((variant) => variant.paths);
}

/** The codes of the errors of in-memory files. */
export function errorCodes(files: Files, options: Partial<Omit<VariantOptions, 'reader'>> = {}): string[] {
  return prepare(files, options).errors.map((error) => error.code);
}
