/**
 * The four benchmark trees of the multiplexer spec (section 4), generated here with the same shape and
 * byte for byte the same text as the published generator, so that the benchmark needs no shared files.
 */

export const TREES = ['product6x10', 'filter_only99', 'filter_out99', 'wide1000x20'] as const;
export type TreeName = (typeof TREES)[number];

/** Six sibling `!mux` nodes m0..m5 of ten leaves v0..v9; optional internal filters on m0 and m2. */
function product(filter?: 'only' | 'out', muxes = 6, leaves = 10): string {
  let text = '';
  for (let mux = 0; mux < muxes; mux++) {
    text += `m${mux}: !mux\n`;
    for (let leaf = 0; leaf < leaves; leaf++) {
      text += `    v${leaf}:\n`;
      if (filter === 'only' && (mux === 0 || mux === 2)) {
        text += `        !filter-only : /run/m${mux + 1}/v${leaf}\n`;
      } else if (filter === 'out' && (mux === 0 || mux === 2)) {
        for (let other = 0; other < leaves; other++) {
          if (other !== leaf) text += `        !filter-out : /run/m${mux + 1}/v${other}\n`;
        }
      }
      text += `        k${mux}: ${leaf}\n`;
      text += `        common: m${mux}-v${leaf}\n`;
    }
  }
  return text;
}

/** One `!mux` of 1000 leaves with 20 keys each (ints, strings, lists). */
function wide(leaves = 1000, keys = 20): string {
  let text = 'wide: !mux\n';
  for (let leaf = 0; leaf < leaves; leaf++) {
    text += `    c${String(leaf).padStart(4, '0')}:\n`;
    for (let key = 0; key < keys; key++) {
      const value =
        key % 3 === 0
          ? String(leaf * keys + key)
          : key % 3 === 1
            ? `'value-${leaf}-${key}'`
            : `[${leaf}, ${key}, x${key}]`;
      text += `        key${String(key).padStart(2, '0')}: ${value}\n`;
    }
  }
  return text;
}

export function treeText(name: TreeName): string {
  switch (name) {
    case 'product6x10':
      return product();
    case 'filter_only99':
      return product('only');
    case 'filter_out99':
      return product('out');
    case 'wide1000x20':
      return wide();
  }
}

/** The key looked up once per variant in the params phase. */
export function lookupKey(name: TreeName): string {
  return name === 'wide1000x20' ? 'key00' : 'k0';
}
