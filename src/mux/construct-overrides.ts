/**
 * Path overrides as written in a file (spec section 3): a key `/PATH/KEY: VALUE` in a node, or the block
 * form `!inject : {/PATH: {KEY: VALUE, ...}}`. The value must be a value (a mapping would make nodes).
 */
import { ConstructError, isMuxTagged, isTreeMapTag } from './construct-base.ts';
import { ValueBuilder } from './construct-values.ts';
import type { SyntaxPos, YamlSyntax } from './parse.ts';
import type { MuxNode } from './tree.ts';
import type { PyValue } from './values.ts';

export class OverrideBuilder extends ValueBuilder {
  protected badOverride(text: string, pos: SyntaxPos): ConstructError {
    return new ConstructError(
      'MUX_BAD_OVERRIDE',
      'override',
      `override '${text}' needs a value (a mapping would make nodes: use !!python/dict for a dict value)`,
      pos,
    );
  }

  protected overrideValue(text: string, syntax: YamlSyntax): PyValue {
    const node = this.deref(syntax);
    const value =
      isMuxTagged(node) || (node.kind === 'map' && isTreeMapTag(node.tag)) ? null : this.value(node);
    if (value === null) throw this.badOverride(text, node.pos);
    return value === 'null' ? null : value;
  }

  protected addOverride(node: MuxNode, text: string, value: PyValue, pos: SyntaxPos): void {
    const cut = text.lastIndexOf('/');
    const key = text.slice(cut + 1);
    if (!key)
      throw new ConstructError(
        'MUX_BAD_OVERRIDE',
        'override',
        `override '${text}' names no key after its path`,
        pos,
      );
    if (value === null) throw this.badOverride(text, pos);
    node.overrides.push({
      pattern: text.slice(0, cut) || '/',
      key,
      value: value === 'null' ? null : value,
      at: this.ref(pos),
    });
  }

  /** `!inject : {PATH: {KEY: VALUE, ...}, ...}`, the block form of path overrides. */
  protected addInjectBlock(node: MuxNode, syntax: YamlSyntax): void {
    const block = this.deref(syntax);
    if (block.kind !== 'map' || !isTreeMapTag(block.tag)) {
      throw new ConstructError(
        'MUX_BAD_OVERRIDE',
        'override',
        '!inject takes a mapping of /PATH: {KEY: VALUE}',
        block.pos,
      );
    }
    for (const { key, value } of block.pairs) {
      try {
        const pathKey = this.readKey(key);
        const pattern = pathKey.kind === 'name' ? pathKey.name.replace(/\/+$/, '') : '';
        const entries = this.deref(value);
        if (!pattern.startsWith('/') || entries.kind !== 'map' || !isTreeMapTag(entries.tag)) {
          throw new ConstructError(
            'MUX_BAD_OVERRIDE',
            'override',
            '!inject entries are /PATH: {KEY: VALUE, ...}',
            key.pos,
          );
        }
        for (const entry of entries.pairs) {
          const entryKey = this.readKey(entry.key);
          if (entryKey.kind !== 'name' || !entryKey.name || entryKey.name.includes('/')) {
            throw new ConstructError(
              'MUX_BAD_OVERRIDE',
              'override',
              '!inject keys are plain names',
              entry.key.pos,
            );
          }
          const text = `${pattern}/${entryKey.name}`;
          this.addOverride(node, text, this.overrideValue(text, entry.value), entry.key.pos);
        }
      } catch (error) {
        this.report(error);
      }
    }
  }
}
