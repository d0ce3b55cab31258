import type { SourceRef } from './diagnostics.ts';
import type { PyValue } from './values.ts';

/** An internal filter (`!filter-only`/`!filter-out`), normalized with a trailing `/`. */
export interface FilterDecl {
  path: string;
  at?: SourceRef;
}

/** A `!remove_node`/`!remove_value` waiting to act when its node is merged into an existing one. */
export interface RemoveDecl {
  kind: 'node' | 'value';
  /** Anchored at the start only, like Python's `re.match`. */
  pattern: RegExp;
  at?: SourceRef;
}

/** A path override (`"/PATH/KEY": VALUE` or an `!inject` entry) declared in a node. */
export interface OverrideDecl {
  pattern: string;
  key: string;
  value: PyValue;
  at?: SourceRef;
}

/** A node of the variant tree: its own values, internal filters, `!mux` flag and children, in order. */
export class MuxNode {
  parent: MuxNode | null = null;
  readonly children: MuxNode[] = [];
  readonly values = new Map<string, PyValue>();
  readonly filterOnly: FilterDecl[] = [];
  readonly filterOut: FilterDecl[] = [];
  readonly removes: RemoveDecl[] = [];
  readonly overrides: OverrideDecl[] = [];
  mux = false;
  name: string;
  /** Where the node was first defined. */
  at: SourceRef | undefined;
  /** Children by name, built once there are many (a wide `!mux`); dropped when children are removed. */
  private byName: Map<string, MuxNode> | undefined;

  constructor(name: string, at?: SourceRef) {
    this.name = name;
    this.at = at;
  }

  get isLeaf(): boolean {
    return this.children.length === 0;
  }

  /** `/` for the root, else `/a/b` (names are joined as they are, even when they contain `/`). */
  get path(): string {
    if (!this.parent) return '/' + this.name;
    const names = [this.name];
    for (let node: MuxNode | null = this.parent; node; node = node.parent) names.push(node.name);
    return names.reverse().join('/');
  }

  childNamed(name: string): MuxNode | undefined {
    const children = this.children;
    if (children.length < 16) return children.find((child) => child.name === name);
    if (!this.byName) {
      this.byName = new Map();
      for (let index = children.length - 1; index >= 0; index--)
        this.byName.set(children[index].name, children[index]);
    }
    return this.byName.get(name);
  }

  /** Append a child, or merge it into the existing child of the same name (which keeps its position). */
  addChild(child: MuxNode): void {
    const existing = this.childNamed(child.name);
    if (existing) {
      existing.merge(child);
      return;
    }
    child.parent = this;
    this.children.push(child);
    this.byName?.set(child.name, child);
  }

  /**
   * Merge `other` into this node: first its `!remove_node`/`!remove_value` act on what this node already
   * has, then values are overwritten (lists replaced), filters and overrides appended, children added,
   * and `!mux` is sticky.
   */
  merge(other: MuxNode): void {
    for (const remove of other.removes) {
      if (remove.kind === 'node') {
        const kept = this.children.filter((child) => !remove.pattern.test(child.name));
        this.children.splice(0, this.children.length, ...kept);
        this.byName = undefined;
      } else {
        for (const key of [...this.values.keys()]) if (remove.pattern.test(key)) this.values.delete(key);
      }
    }
    for (const [key, value] of other.values) this.values.set(key, value);
    this.filterOnly.push(...other.filterOnly);
    this.filterOut.push(...other.filterOut);
    this.overrides.push(...other.overrides);
    for (const child of other.children) this.addChild(child);
    if (other.mux) this.mux = true;
    this.at ??= other.at;
  }

  detach(): void {
    if (!this.parent) return;
    const index = this.parent.children.indexOf(this);
    if (index >= 0) this.parent.children.splice(index, 1);
    this.parent.byName = undefined;
    this.parent = null;
  }

  /** The node at a `/`-separated path below this one (empty components skipped), created when asked. */
  nodeAt(path: string, create: boolean): MuxNode | undefined {
    const names = path.split('/').filter(Boolean);
    return names.reduce<MuxNode | undefined>((node, name) => {
      if (!node) return undefined;
      const existing = node.childNamed(name);
      if (existing || !create) return existing;
      const child = new MuxNode(name);
      node.addChild(child);
      return child;
    }, this);
  }

  /** This node and its descendants in pre-order, iteratively (trees may be deep). */
  *preorder(): Generator<MuxNode> {
    const stack: MuxNode[] = [this];
    while (stack.length > 0) {
      const node = stack.pop()!;
      yield node;
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]);
    }
  }
}
