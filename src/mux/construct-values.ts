/**
 * Values (everything that is not a tree node) built from the syntax tree as PyYAML's `SafeLoader` with
 * the reference's loader builds them: YAML 1.1 scalars, lists, `!!omap`/`!!pairs` (lists of tuples),
 * `!!set`, `!!python/dict` (typed keys, `<<` merges) and mappings inside values (OrderedDicts with
 * untyped keys).
 */
import { CONTROL_TAGS, ConstructError, MUX_TAG, SyntaxReader, isTreeMapTag } from './construct-base.ts';
import type { Syntax } from './construct-base.ts';
import type { MapSyntax, PairSyntax, ScalarSyntax, SyntaxPos, YamlSyntax } from './parse.ts';
import {
  ScalarError,
  TAGS,
  constructScalar,
  isScalarTag,
  quickPlainValue,
  resolvePlainTag,
} from './yaml11.ts';
import { PyTuple, dictFromPairs, isHashable, setFromItems } from './values.ts';
import type { PyValue } from './values.ts';

function unknownTag(tag: string): string {
  return `could not determine a constructor for the tag '${tag}'`;
}

function checkValueTag(node: Syntax): void {
  if (node.tag !== null && (CONTROL_TAGS.includes(node.tag) || node.tag === MUX_TAG)) {
    throw new ConstructError('MUX_BAD_TAG', 'other', `${node.tag} can only tag a key of a node`, node.tagPos);
  }
}

export class ValueBuilder extends SyntaxReader {
  /** A value: PyYAML's `construct_object` with the reference's loader. */
  value(syntax: YamlSyntax): PyValue {
    const node = this.deref(syntax);
    if (node.kind === 'scalar') {
      // a scalar holds nothing, so it cannot hold itself: counted without the recursion check
      this.context.spend('nodes', 1, node.pos);
      checkValueTag(node);
      return this.scalar(node);
    }
    return this.enter(node, () => {
      checkValueTag(node);
      if (node.kind === 'seq') return this.sequence(node);
      return this.mapping(node);
    });
  }

  private scalar(node: ScalarSyntax): PyValue {
    if (node.tag === null) {
      if (!node.plain) return node.text;
      const quick = quickPlainValue(node.text);
      if (quick !== undefined) return quick;
    }
    const tag =
      node.tag === null
        ? node.plain
          ? resolvePlainTag(node.text)
          : TAGS.str
        : node.tag === '!'
          ? TAGS.str
          : node.tag;
    if (!isScalarTag(tag)) {
      const collection = [TAGS.seq, TAGS.map, TAGS.omap, TAGS.pairs, TAGS.set, TAGS.pythonDict].includes(tag);
      const message = collection ? `expected a collection for ${tag}, but found a scalar` : unknownTag(tag);
      throw new ConstructError(
        collection ? 'MUX_YAML_SYNTAX' : 'MUX_BAD_TAG',
        'yaml_invalid',
        message,
        node.tagPos,
      );
    }
    try {
      return constructScalar(tag, node.text);
    } catch (error) {
      if (!(error instanceof ScalarError)) throw error;
      throw new ConstructError('MUX_YAML_SYNTAX', error.category, error.message, node.pos);
    }
  }

  private sequence(node: Syntax & { kind: 'seq' }): PyValue {
    if (node.tag === null || node.tag === TAGS.seq) return node.items.map((item) => this.value(item));
    if (node.tag === TAGS.omap || node.tag === TAGS.pairs) {
      return node.items.map((item) => {
        const entry = this.deref(item);
        if (entry.kind !== 'map' || entry.pairs.length !== 1) {
          throw new ConstructError(
            'MUX_YAML_SYNTAX',
            'yaml_invalid',
            `${node.tag} expects mappings of one item`,
            entry.pos,
          );
        }
        const [{ key, value }] = entry.pairs as [PairSyntax];
        return new PyTuple([this.value(key), this.value(value)]);
      });
    }
    throw this.wrongKind(node.tag, 'a sequence', node.tagPos);
  }

  private mapping(node: MapSyntax): PyValue {
    if (isTreeMapTag(node.tag)) {
      if (this.isNodeLike(node)) {
        throw new ConstructError(
          'MUX_BAD_TAG',
          'other',
          'control tags and !mux cannot appear inside a value',
          node.pos,
        );
      }
      const entries = node.pairs.map(({ key, value }) => {
        const read = this.readKey(key);
        return { name: read.kind === 'name' ? read.name : read.tag, value: this.value(value) };
      });
      return dictFromPairs(
        this.lastWins(entries).map((entry) => [entry.name, entry.value] as const),
        true,
      );
    }
    if (node.tag === TAGS.pythonDict || node.tag === TAGS.set) {
      const pairs = this.flattenMerges(node).map(({ key, value }) => {
        const constructedKey = this.value(key);
        if (!isHashable(constructedKey)) {
          throw new ConstructError('MUX_YAML_SYNTAX', 'yaml_invalid', 'found unhashable key', key.pos);
        }
        return [constructedKey, node.tag === TAGS.set ? null : this.value(value)] as const;
      });
      return node.tag === TAGS.set ? setFromItems(pairs.map(([key]) => key)) : dictFromPairs(pairs, false);
    }
    throw this.wrongKind(node.tag, 'a mapping', node.tagPos);
  }

  /** PyYAML's `flatten_mapping`: `<<` merge keys bring their mappings' pairs in front. */
  private flattenMerges(node: MapSyntax, depth = 0): PairSyntax[] {
    if (depth > 64)
      throw new ConstructError('MUX_YAML_SYNTAX', 'yaml_invalid', 'merge keys nested too deeply', node.pos);
    const merged: PairSyntax[] = [];
    const own: PairSyntax[] = [];
    for (const pair of node.pairs) {
      const key = pair.key.kind === 'alias' ? pair.key.target : pair.key;
      const isMerge =
        key?.kind === 'scalar' && key.tag === null && key.plain && resolvePlainTag(key.text) === TAGS.merge;
      if (!isMerge) {
        own.push(pair);
        continue;
      }
      const source = this.deref(pair.value);
      const sources =
        source.kind === 'seq' ? source.items.map((item) => this.deref(item)).reverse() : [source];
      for (const mapping of sources) {
        if (mapping.kind !== 'map') {
          throw new ConstructError(
            'MUX_YAML_SYNTAX',
            'yaml_invalid',
            'expected a mapping for merging',
            mapping.pos,
          );
        }
        merged.push(...this.flattenMerges(mapping, depth + 1));
      }
    }
    return [...merged, ...own];
  }

  private wrongKind(tag: string | null, what: string, pos: SyntaxPos): ConstructError {
    const known = tag !== null && tag.startsWith('tag:yaml.org,2002:') && !tag.includes('python/');
    return new ConstructError(
      known ? 'MUX_YAML_SYNTAX' : 'MUX_BAD_TAG',
      'yaml_invalid',
      known ? `${tag} cannot tag ${what}` : unknownTag(tag ?? ''),
      pos,
    );
  }
}
