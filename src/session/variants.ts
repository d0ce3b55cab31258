import { selectVariants } from '../scenario/mux-variants.ts';
import type { ScenarioVariant } from '../scenario/variant.ts';

/** The variant tree a replay reads: the script's `variants` files and the command line's, with its filters. */
export interface VariantBook {
  /** The variants a `for variant in FILTER` loop runs over (`!PATH` filters out). */
  matching(filter: readonly string[]): ScenarioVariant[];
  /** `variant ID | FILTER`: the variant with that id, else the first one the filter keeps. */
  find(selector: string): ScenarioVariant | undefined;
}

export interface VariantBookOptions {
  files: readonly string[];
  filterOnly?: readonly string[];
  filterOut?: readonly string[];
  cwd: string;
}

/** A book over the tree; selecting throws the tree's own errors (codes MUX_*). Without files it is empty. */
export function variantBook(options: VariantBookOptions): VariantBook {
  const matching = (filter: readonly string[]): ScenarioVariant[] => {
    if (options.files.length === 0) return [];
    const only = filter.filter((path) => !path.startsWith('!'));
    const out = filter.filter((path) => path.startsWith('!')).map((path) => path.slice(1));
    const source = selectVariants(
      {
        files: options.files,
        filterOnly: [...(options.filterOnly ?? []), ...only],
        filterOut: [...(options.filterOut ?? []), ...out],
      },
      options.cwd,
    );
    return [...source()];
  };
  return {
    matching,
    find(selector) {
      const all = matching([]);
      return all.find((variant) => variant.id === selector) ?? matching(selector.split(/\s+/))[0];
    },
  };
}
