"""Generate test/fixtures/mux-conformance/yaml-syntax.json: seeded random YAML texts (multiplex-file shapes,
then mutated with the characters and constructs where YAML readers disagree) with what libyaml, through
PyYAML's CSafeLoader as the reference loads files, makes of them: the error and its position, or the
composed node tree (tags as PyYAML resolves them, scalar values as libyaml scans them).

    python3 bench/mux/gen/yaml_cases.py [SEED] > test/fixtures/mux-conformance/yaml-syntax.json
"""
import json
import random
import sys

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

WORDS = ['a', 'b', 'key', 'os', 'linux', 'run', 'x1', '21', 'on', '3.11', 'null', '~', 'yes', '0755', '1:30',
         '2024-02-29', '1e3', '.inf', '-', 'a b', 'é', 'a#b', 'a:b', '<<', '=', '0x1f', '+1']
SCALARS = ['1', 'two words', "'single'", "'it''s'", '"double"', '"esc \\t \\x41 \\u00e9 \\U0001F642"',
           '"\\ud83d\\ude42"', '"\\N \\_ \\L \\P \\e \\/ \\0"', '"\\q"', '"a\\\n  b"', '"line\n  folded"',
           "'multi\n\n  line'", 'plain\n  continued', '~', 'null', '', '[1, 2, x]', '[a, [b, c], {d: e}]',
           '{k: v, n: 1}', '[a: b, c]', '[,]', '[a,]', '{a, b: }', '!!str 12', '! 12', "! '12'", '!!int "7"',
           '!m%75x', '!<tag:yaml.org,2002:str> v', '!!binary aGVsbG8=', '&x 5', '*x', '*nosuch',
           '!!str', '|\n  lit\n  text\n', '>\n  folded\n  text\n\n', '|1\n  x\n  \n', '|2-\n   a\n  b\n',
           '>+\n  keep\n\n', '|-\n  strip\n', '|2\n    two\n   \n\n', '>1-\n  a\n\n  b\n  \n', '|#c\n  x\n', '| # c\n  x\n', '|0\n x\n', '|\n\tx\n',
           '>\n  a\n   b\n  c\n', '"a\tb"', 'a\tb', '{a: !!str}', '[!!str, x]', '{a: !!str , b: 1}',
           '"unterminated', "'it's'", '@at', '`tick', '%pct', 'a: b', 'a :b', '? x', '- y']
ODD = ['\t', '\x7f', '\x00', '\x1b', '\x85', '\u2028', '\u2029', '\ufeff', '\r\n', '\r', ' #c', ':', ': ',
       '- ', '? ', '!', '&', '*', '|', '>', '%', '@', '`', ',', '[', ']', '{', '}', '"', "'", '\\', '---\n',
       '...\n', '\n  : 1\n', '\n? k\n:\t{b: 1}\n', '\n?\tk\n', '\xa0', '\u00e9', '\U0001F642', '#', '\n\n']
DIRECTIVES = ['%YAML 1.1\n---\n', '%YAML 1.2\n---\n', '%YAML 1.3\n---\n', '%YAML 2.0\n---\n',
              '%TAG !e! tag:example.com,2000:\n---\n', '%FOO bar\n---\n', '---\n', '--- !mux\n', '\ufeff',
              '%YAML 1.1\n%YAML 1.1\n---\n', '%YAML 1.1 # c\n---\n', '%YAML 1.1x\n---\n']


class Gen:
    def __init__(self, rng):
        self.rng = rng

    def key(self):
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice(['!include :', '!mux :', '!filter-only :', '!using :', '!!str k:', "'q k':",
                                    '"d k":', '? complex\n:', '&ak k:'])
        return self.rng.choice(WORDS) + ':'

    def block(self, indent, depth):
        pad = ' ' * indent
        out = []
        for _ in range(self.rng.randint(1, 4)):
            key = self.key()
            r = self.rng.random()
            if depth < 3 and r < 0.3:
                tag = self.rng.choice(['', ' !mux', ' &anc', ' !!python/dict', ' !!omap']) if r < 0.1 else ''
                out.append(f'{pad}{key}{tag}\n{self.block(indent + self.rng.choice([2, 4]), depth + 1)}')
            elif depth < 3 and r < 0.4:
                items = ''.join(f'{pad}- {self.scalar(indent + 2)}\n' for _ in range(self.rng.randint(1, 3)))
                out.append(f'{pad}{key}\n{items}')
            else:
                value = self.scalar(indent + 2)
                sep = '' if value.startswith('\n') else ' '
                out.append(f'{pad}{key}{sep}{value}\n')
        return ''.join(out)

    def scalar(self, indent):
        value = self.rng.choice(SCALARS + WORDS)
        return value.replace('\n', '\n' + ' ' * indent).rstrip(' ') if '\n' in value else value

    def document(self, mutate=True):
        text = self.block(0, 0)
        if self.rng.random() < 0.25:
            text = self.rng.choice(DIRECTIVES) + text
        if self.rng.random() < 0.05:
            text += self.rng.choice(['---\nb: 1\n', '...\n', '...\n---\nc: 2\n'])
        for _ in range(self.rng.choice([0, 0, 1, 1, 2]) if mutate else 0):
            at = self.rng.randint(0, len(text))
            text = text[:at] + self.rng.choice(ODD) + text[at:]
        return text


def encode(node, seen=()):
    if id(node) in seen:
        raise RecursionError
    seen = seen + (id(node),)
    if isinstance(node, ScalarNode):
        return ['s', node.tag, node.value]
    if isinstance(node, SequenceNode):
        return ['q', node.tag, [encode(item, seen) for item in node.value]]
    assert isinstance(node, MappingNode)
    return ['m', node.tag, [[encode(k, seen), encode(v, seen)] for k, v in node.value]]


def outcome(text):
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.reader.ReaderError:
        return {'error': 'reader'}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return {'error': 'syntax', 'line': mark.line + 1, 'col': mark.column + 1}
    except yaml.YAMLError:
        return {'error': 'syntax'}
    return {'tree': None if node is None else encode(node)}


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 13
    rng = random.Random(seed)
    gen = Gen(rng)
    texts = [gen.document() for _ in range(700)] + [gen.document(mutate=False) for _ in range(500)]
    texts += ['a: {v: !!str}\n', 'a: "\\ud83d\\ude42"\n', '%YAML 1.3\n---\na: 1\n', 'a: b\x7fc\n', 'a\x7f: 1\n',
              'a: b\x00\n', 'a: b\x85c\n', 'a: b\u2028c\n', 'a:\n  : 1\n', '? a\n:\t{b: 1}\n', 'k: |1\n  x\n  \n',
              'k: ! 12\n', 'k: !m%75x\n  a: 1\n', 'a: *nosuch\nb: [1\n', 'a: [1, 2\nb: !foo x\n']
    cases = []
    for text in dict.fromkeys(texts):
        try:
            cases.append({'text': text, **outcome(text)})
        except RecursionError:
            continue
    json.dump({'generator': 'bench/mux/gen/yaml_cases.py', 'seed': seed, 'pyyaml': yaml.__version__,
               'libyaml': yaml._yaml.get_version_string(), 'cases': cases}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
