/**
 * YAML text to a neutral syntax tree that keeps each node's source position, raw scalar text and tag, as
 * the reference's libyaml reads it: the reader refuses the characters libyaml refuses, the scanner and the
 * composer (yaml-scanner.ts, yaml-compose.ts) follow libyaml's grammar and errors. Typing (YAML 1.1,
 * PyYAML's rules) happens later, in construct.ts.
 */
import { MAX_NESTING, composeYaml } from './yaml-compose.ts';
import { Cursor, firstUnacceptable } from './yaml-cursor.ts';
import { Scanner } from './yaml-scanner.ts';
import { parseSimpleYaml } from './yaml-simple.ts';

export { MAX_NESTING };

export interface SyntaxPos {
  line: number;
  col: number;
}

interface NodeBase {
  tag: string | null;
  pos: SyntaxPos;
  /** Where the tag is written (the tag of a key like `!include :` sits before the empty scalar). */
  tagPos: SyntaxPos;
}

export interface ScalarSyntax extends NodeBase {
  kind: 'scalar';
  text: string;
  /** Plain (unquoted, not a block scalar): only these get implicit YAML 1.1 typing. */
  plain: boolean;
}

export interface SeqSyntax extends NodeBase {
  kind: 'seq';
  items: YamlSyntax[];
}

export interface PairSyntax {
  key: YamlSyntax;
  value: YamlSyntax;
}

export interface MapSyntax extends NodeBase {
  kind: 'map';
  pairs: PairSyntax[];
}

export interface AliasSyntax {
  kind: 'alias';
  name: string;
  pos: SyntaxPos;
  /** The anchored node, or undefined when no anchor of that name precedes the alias. */
  target: YamlSyntax | undefined;
}

export type YamlSyntax = ScalarSyntax | SeqSyntax | MapSyntax | AliasSyntax;

export interface SyntaxProblem {
  message: string;
  pos: SyntaxPos;
  /** `nesting` when the document is nested too deeply to be processed. */
  kind: 'syntax' | 'nesting' | 'documents';
}

export interface ParsedYaml {
  /** The single document's root; null for an empty stream or an empty document. */
  root: YamlSyntax | null;
  problems: SyntaxProblem[];
}

/** Parse one YAML stream that must hold at most one document. Never throws on bad input. */
export function parseYaml(source: string): ParsedYaml {
  const bad = firstUnacceptable(source);
  if (bad >= 0) {
    const cursor = new Cursor(source);
    cursor.forward(bad);
    const code = source.codePointAt(bad)!.toString(16).padStart(4, '0');
    return {
      root: null,
      problems: [
        {
          message: `unacceptable character #x${code}: control characters are not allowed`,
          pos: { line: cursor.line + 1, col: cursor.column + 1 },
          kind: 'syntax',
        },
      ],
    };
  }
  const simple = parseSimpleYaml(source);
  if (simple !== undefined) return { root: simple, problems: [] };
  return composeYaml(new Scanner(source));
}
