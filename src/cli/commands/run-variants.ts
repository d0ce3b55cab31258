import { BatonError } from '../../errors.ts';
import { selectVariants } from '../../scenario/mux-variants.ts';
import type { VariantSelection } from '../../scenario/mux-variants.ts';
import type { ScenarioVariant } from '../../scenario/variant.ts';

/** The variants `baton run` iterates, or undefined for one variant without params. */
export function variantSource(
  selection: Required<Omit<VariantSelection, 'muxPaths'>>,
  cwd: string,
): (() => Iterable<ScenarioVariant>) | undefined {
  if (selection.files.length === 0) {
    if (selection.filterOnly.length + selection.filterOut.length + selection.inject.length > 0) {
      throw new BatonError('USAGE', '--filter-only, --filter-out and --inject need --variants FILE');
    }
    return undefined;
  }
  return selectVariants(selection, cwd);
}
