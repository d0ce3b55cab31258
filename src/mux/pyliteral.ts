/**
 * Python's `ast.literal_eval` for `--inject` values: numbers, strings, bytes, True/False/None, Ellipsis,
 * tuples (`1,2`), lists, dicts, sets, `set()`, signed numbers and `real+imag` complex sums. The reference
 * falls back to the raw string when the text is not such a literal; `unhashable` marks the inputs where
 * the reference fails instead (a list as a dict key or set item).
 */
import {
  PyBytes,
  PyComplex,
  PyEllipsis,
  PyFloat,
  PyTuple,
  dictFromPairs,
  isHashable,
  pyInt,
  setFromItems,
} from './values.ts';
import { NotLiteral, tokenize } from './pyliteral-tokens.ts';
import type { Token } from './pyliteral-tokens.ts';
import type { PyValue } from './values.ts';

export type LiteralResult = { ok: true; value: PyValue } | { ok: false; unhashable: boolean };

class Unhashable extends Error {}

type Expr =
  | { kind: 'const'; value: PyValue }
  | { kind: 'tuple' | 'list' | 'set'; items: Expr[] }
  | { kind: 'dict'; pairs: [Expr, Expr][] }
  | { kind: 'name'; name: string }
  | { kind: 'call'; name: string; empty: boolean }
  | { kind: 'unary'; op: string; operand: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'other' };

/** `ast.literal_eval(text)` with the reference's fallback: a text that is not a literal gives `ok: false`. */
export function literalEval(text: string): LiteralResult {
  try {
    const parser = new Parser(tokenize(text.replace(/^[ \t]+/, '')));
    return { ok: true, value: convert(parser.parseInput()) };
  } catch (error) {
    if (error instanceof NotLiteral) return { ok: false, unhashable: false };
    if (error instanceof Unhashable) return { ok: false, unhashable: true };
    throw error;
  }
}

function convert(expr: Expr): PyValue {
  switch (expr.kind) {
    case 'const':
      return expr.value;
    case 'tuple':
      return new PyTuple(expr.items.map(convert));
    case 'list':
      return expr.items.map(convert);
    case 'set': {
      const items = expr.items.map(convert);
      if (!items.every(isHashable)) throw new Unhashable();
      return setFromItems(items);
    }
    case 'call':
      if (expr.name === 'set' && expr.empty) return setFromItems([]);
      throw new NotLiteral();
    case 'dict': {
      const pairs = expr.pairs.map(([key, value]) => [convert(key), convert(value)] as const);
      if (!pairs.every(([key]) => isHashable(key))) throw new Unhashable();
      return dictFromPairs(pairs, false);
    }
    case 'binary': {
      const left = signedNumber(expr.left);
      const right = number(expr.right);
      if (!(left instanceof PyComplex) && right instanceof PyComplex) {
        const real =
          typeof left === 'bigint' ? Number(left) : left instanceof PyFloat ? left.value : Number(left);
        const imag = expr.op === '+' ? right.imag : -right.imag;
        return new PyComplex(real + (expr.op === '+' ? right.real : -right.real), imag);
      }
      return signedNumber(expr);
    }
    default:
      return signedNumber(expr);
  }
}

function number(expr: Expr): number | bigint | PyFloat | PyComplex {
  if (expr.kind !== 'const') throw new NotLiteral();
  const value = expr.value;
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    value instanceof PyFloat ||
    value instanceof PyComplex
  ) {
    return value;
  }
  throw new NotLiteral();
}

function signedNumber(expr: Expr): number | bigint | PyFloat | PyComplex {
  if (expr.kind !== 'unary') return number(expr);
  const operand = number(expr.operand);
  if (expr.op === '+') return operand;
  if (typeof operand === 'number') return operand === 0 ? 0 : -operand;
  if (typeof operand === 'bigint') return pyInt(-operand);
  if (operand instanceof PyFloat) return new PyFloat(-operand.value);
  return new PyComplex(-operand.real, -operand.imag);
}

class Parser {
  private index = 0;
  private readonly tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  parseInput(): Expr {
    const { items, comma } = this.parseItems(['end']);
    if (this.peek().kind !== 'end' || items.length === 0) throw new NotLiteral();
    return comma ? { kind: 'tuple', items } : items[0];
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.value === value;
  }

  private expectOp(value: string): void {
    if (!this.isOp(value)) throw new NotLiteral();
    this.index++;
  }

  private atClose(closers: string[]): boolean {
    const token = this.peek();
    return token.kind === 'end'
      ? closers.includes('end')
      : token.kind === 'op' && closers.includes(token.value);
  }

  /** `a, b, ...` up to a closer, and whether a comma was seen (which makes a tuple of a single item). */
  private parseItems(closers: string[]): { items: Expr[]; comma: boolean } {
    const items: Expr[] = [];
    let comma = false;
    while (!this.atClose(closers)) {
      items.push(this.parseSum());
      if (!this.isOp(',')) break;
      this.index++;
      comma = true;
    }
    return { items, comma };
  }

  private parseSum(): Expr {
    let left = this.parseUnary();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.peek() as { value: string }).value;
      this.index++;
      left = { kind: 'binary', op, left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): Expr {
    if (this.isOp('+') || this.isOp('-')) {
      const op = (this.peek() as { value: string }).value;
      this.index++;
      return { kind: 'unary', op, operand: this.parseUnary() };
    }
    return this.parseAtom();
  }

  private parseAtom(): Expr {
    const token = this.peek();
    this.index++;
    switch (token.kind) {
      case 'number':
        return { kind: 'const', value: token.value };
      case 'string':
        return this.parseStrings(token.value);
      case 'name':
        return this.parseName(token.value);
      case 'op':
        return this.parseBracket(token.value);
      default:
        throw new NotLiteral();
    }
  }

  private parseStrings(first: string | Uint8Array): Expr {
    let value = first;
    while (this.peek().kind === 'string') {
      const next = (this.peek() as { value: string | Uint8Array }).value;
      this.index++;
      if (typeof value === 'string' && typeof next === 'string') value += next;
      else if (typeof value !== 'string' && typeof next !== 'string')
        value = new Uint8Array([...value, ...next]);
      else throw new NotLiteral();
    }
    return { kind: 'const', value: typeof value === 'string' ? value : new PyBytes(value) };
  }

  private parseName(name: string): Expr {
    if (name === 'True' || name === 'False') return { kind: 'const', value: name === 'True' };
    if (name === 'None') return { kind: 'const', value: null };
    if (this.isOp('(')) {
      this.index++;
      const empty = this.isOp(')');
      while (!this.isOp(')')) {
        if (this.peek().kind === 'end') throw new NotLiteral();
        this.index++;
      }
      this.index++;
      return { kind: 'call', name, empty };
    }
    return { kind: 'name', name };
  }

  private parseBracket(op: string): Expr {
    if (op === '...') return { kind: 'const', value: PyEllipsis.instance };
    if (op === '(') {
      const { items, comma } = this.parseItems([')']);
      this.expectOp(')');
      return items.length === 1 && !comma ? items[0] : { kind: 'tuple', items };
    }
    if (op === '[') {
      const { items } = this.parseItems([']']);
      this.expectOp(']');
      return { kind: 'list', items };
    }
    if (op === '{') return this.parseBrace();
    throw new NotLiteral();
  }

  private parseBrace(): Expr {
    if (this.isOp('}')) {
      this.index++;
      return { kind: 'dict', pairs: [] };
    }
    const first = this.parseSum();
    if (this.isOp(':')) {
      this.index++;
      const pairs: [Expr, Expr][] = [[first, this.parseSum()]];
      while (this.isOp(',')) {
        this.index++;
        if (this.isOp('}')) break;
        const key = this.parseSum();
        this.expectOp(':');
        pairs.push([key, this.parseSum()]);
      }
      this.expectOp('}');
      return { kind: 'dict', pairs };
    }
    const items = [first];
    while (this.isOp(',')) {
      this.index++;
      if (this.isOp('}')) break;
      items.push(this.parseSum());
    }
    this.expectOp('}');
    return { kind: 'set', items };
  }
}
