"""Generate test/fixtures/mux-conformance/regex.json: seeded random Python `re` patterns with the results
Python 3.11 gives for them (refused, or the span of re.search and re.match on each subject).

The conformance test compares Baton's translation with these recorded results; it needs no Python.

    python3 bench/mux/gen/regex_cases.py [SEED] > test/fixtures/mux-conformance/regex.json
"""
import json
import random
import re
import sys
import warnings

warnings.simplefilter('ignore')

ALPHABET = list('aAbBiIkKsSxz_1 /-.\n') + ['é', 'É', 'ı', 'İ', 'K', 'ß', 'ẞ', 'ſ', 'µ', 'μ', 'Σ', 'σ', 'ς', '٣', '²', 'Ⅻ', '\u00a0', '\u2028', '\x1c', '\x85']
LITERALS = ['a', 'b', 'i', 'I', 'k', 's', 'x', 'é', 'ı', 'İ', 'K', 'ß', 'ſ', 'σ', '_', '/', '-', '1', '\\.', '\\-', '\\/', ' ']
CLASSES = ['[a-z]', '[A-Z]', '[^a]', '[^\\W\\d]', '[\\w-]', '[a-]', '[]a]', '[ıi]', '[\\s/]', '[^\\s]', '[\\d_]', '[é-ī]',
           '[\\S\\s]', '[^/]', '[k-s]', '[\\x41-\\x5a]', '[\\N{LATIN SMALL LETTER E WITH ACUTE}]', '[\\u0130]']
ESCAPES = ['\\w', '\\W', '\\d', '\\D', '\\s', '\\S', '\\b', '\\B', '\\A', '\\Z', '.', '^', '$', '\\N{EM DASH}',
           '\\x61', '\\u00e9', '\\U0001F600', '\\0', '\\101', '\\t', '\\n']
QUANTIFIERS = ['*', '+', '?', '{2}', '{,2}', '{1,}', '{1,2}', '{0}', '*?', '+?', '??', '{1,2}?', '*+', '++', '?+',
               '{,2}+', '{', '{x}', '{}', '{,}']
INVALID = ['\\p{L}', '\\1', '(?<=a+)b', 'x{2,1}', '(a', 'a)', '[z-a]', '(?L)a', '\\q', 'a**', '(?P=nope)', '*a',
           '(?<=a|bc)', '[a', '(?P<1>a)', '\\N{NO SUCH NAME}', '(?i', 'a|(?i)b', '(?Z)', '\\x1', '(?<n>a)',
           '(?a)(?u)a', '\\777', '(?-a:x)', '[\\d-z]', '(?P<n>a)(?P<n>b)', '(a)(?<=\\1)', '\\8']


class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.groups = 0
        self.names = []

    def atom(self, depth):
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(LITERALS)
        if r < 0.45:
            return self.rng.choice(CLASSES)
        if r < 0.6:
            return self.rng.choice(ESCAPES)
        if r < 0.68 and self.groups > 0:
            if self.names and self.rng.random() < 0.4:
                return f'(?P={self.rng.choice(self.names)})'
            return f'\\{self.rng.randint(1, self.groups)}'
        if depth > 2:
            return self.rng.choice(LITERALS)
        kind = self.rng.choice(['cap', 'named', 'non', 'atomic', 'flags', 'look', 'behind'])
        inner = lambda: self.alternation(depth + 1)
        if kind == 'cap':
            body = inner()
            self.groups += 1
            return f'({body})'
        if kind == 'named':
            name = f'g{len(self.names)}'
            body = inner()
            self.groups += 1
            self.names.append(name)
            return f'(?P<{name}>{body})'
        if kind == 'non':
            return f'(?:{inner()})'
        if kind == 'atomic':
            return f'(?>{inner()})'
        if kind == 'flags':
            flags = self.rng.choice(['i', 's', 'm', 'a', 'x', '-i', 'i-s', 'u', 'ix', 'a-i'])
            return f'(?{flags}:{inner()})'
        if kind == 'look':
            return f'(?{self.rng.choice("=!")}{inner()})'
        fixed = self.rng.choice(['a', 'ab', '\\w', '[a-z]\\d', 'é|i', '\\b/', 'a{2}'])
        return f'(?<{self.rng.choice("=!")}{fixed})'

    def sequence(self, depth):
        out = ''
        for _ in range(self.rng.randint(1, 3)):
            item = self.atom(depth)
            if self.rng.random() < 0.35:
                item += self.rng.choice(QUANTIFIERS)
            out += item
        return out

    def alternation(self, depth):
        parts = [self.sequence(depth)]
        while self.rng.random() < 0.2:
            parts.append(self.sequence(depth))
        return '|'.join(parts)

    def pattern(self):
        prefix = ''
        if self.rng.random() < 0.3:
            prefix = f'(?{self.rng.choice(["i", "a", "s", "m", "x", "ia", "ms", "im"])})'
        body = self.alternation(0)
        if 'x' in prefix:
            body = body.replace('a', 'a ').replace('b', 'b # c\n')
        if self.rng.random() < 0.08:
            body += self.rng.choice(INVALID)
        return prefix + body


def span(match):
    return None if match is None else [match.start(), match.end()]


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 13
    rng = random.Random(seed)
    cases = []
    patterns = [Gen(rng).pattern() for _ in range(400)] + INVALID
    patterns += ['(?i:A)b', '(?s:.)', '(?>a+)a', 'a*+a', '(?x) a b # c', '(?P<n>a)(?P=n)', '\\bé\\b', '(?a)\\w+',
                 '(?i)i', '(?i)İ', '(?i)ı', 'x{,2}', '[^\\W\\d]+', '\\w+', '\\d+', '\\s+', '(?i)[a-z]+', '(?i)k', '(?i)ß']
    seen = set()
    for pattern in patterns:
        if pattern in seen:
            continue
        seen.add(pattern)
        try:
            compiled = re.compile(pattern)
        except (re.error, ValueError, OverflowError):
            cases.append({'pattern': pattern, 'error': True})
            continue
        if '(?(' in pattern:
            continue
        subjects = [''.join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 8))) for _ in range(6)]
        literal = ''.join(c for c in pattern if c.isalnum() or c in '_/- ')
        subjects += [literal, literal.upper(), literal.swapcase()]
        results = [[s, span(compiled.search(s)), span(compiled.match(s))] for s in subjects]
        cases.append({'pattern': pattern, 'results': results})
    json.dump({'generator': 'bench/mux/gen/regex_cases.py', 'seed': seed, 'python': sys.version.split()[0],
               'cases': cases}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
