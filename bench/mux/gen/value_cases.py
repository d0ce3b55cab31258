"""Generate test/fixtures/mux-conformance/yaml-values.json: seeded random values of a multiplex leaf
(`k: VALUE`, and `k: [VALUE, ...]`) with the Python value the reference's loader builds for them: PyYAML's
CSafeLoader (libyaml) with SafeConstructor, mappings inside values as OrderedDicts with untyped keys, as
yaml_to_mux builds them. The value is encoded as in the conformance corpus (README, "Value encoding").

    python3 bench/mux/gen/value_cases.py [SEED] > test/fixtures/mux-conformance/yaml-values.json
"""
import base64
import collections
import datetime
import json
import random
import sys

import yaml
from yaml.nodes import ScalarNode

SCALARS = ['12', '! 12', "! '12'", '!!str 12', '!!int "12"', '!!float 1', '0755', '0o10', '0x1F', '0b101', '1_000',
           '1:30:00', '-1:30', '1e3', '1.5e3', '1.0e+3', '.5', '.inf', '-.Inf', '.NaN', 'yes', 'No', 'on', 'OFF',
           'y', 'n', '~', "'null'", '2024-02-29', '2024-02-30', '2001-12-14t21:59:43.10-05:00',
           '2001-12-14 21:59:43.10', '"\\u00e9t\\xe9"', "'it''s'", 'plain words', '!m%75x-not-a-tag x',
           '!!binary aGVsbG8gd29ybGQ=', '!!binary "aGVsbG8=\\n"', '!!binary |\n  aGVs\n  bG8=\n',
           '!!binary bad!', '!!str', '!!null ""', '!!bool yes', '!<tag:yaml.org,2002:str> 5',
           '!!timestamp 2024-01-01', '|1\n  x\n  \n', '|2-\n   a\n  b\n\n', '>\n  a\n  b\n\n  c\n',
           '|+\n  keep\n\n', "'multi\n\n  line'", '"a\\\n  b"', '!!int 0b1_0', '!!float 1_0.5', '=', '<<',
           '123456789012345678901234567890', '-0', '+12', '0.1', '1.', '6.02e+23', '"\\N\\_\\L\\P"']
COLLECTIONS = ['!!omap [a: 1, b: 2]', '!!omap\n  - a: 1\n  - b: [x]\n', '!!pairs [a: 1, a: 2]',
               '!!pairs\n  - x: y\n  - x: z\n', '[a, {b: 1, 2: c}]', '[{on: yes}]', '!!seq [1]',
               '!!omap [a]', '!!pairs {a: 1}', '!!python/dict {on: 1, 2: b}', '[&a 1, *a]', '!!omap []']


def mapping(loader, node):
    out = collections.OrderedDict()
    for key_node, value_node in node.value:
        key = loader.construct_scalar(key_node) if isinstance(key_node, ScalarNode) else loader.construct_object(key_node)
        out[key] = loader.construct_object(value_node, deep=True)
    return out


class Loader(yaml.CSafeLoader):
    pass


Loader.add_constructor('tag:yaml.org,2002:map', mapping)
Loader.add_constructor('tag:yaml.org,2002:python/dict',
                       lambda loader, node: dict(yaml.SafeLoader.construct_mapping(loader, node, deep=True)))


def encode(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 - 1 else {'$int': str(value)}
    if isinstance(value, float):
        return {'$float': repr(value)}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, tuple):
        return {'$tuple': [encode(item) for item in value]}
    if isinstance(value, dict):
        return {'$map': [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, datetime.datetime):
        return {'$datetime': str(value)}
    if isinstance(value, datetime.date):
        return {'$date': str(value)}
    if isinstance(value, bytes):
        return {'$bytes': base64.b64encode(value).decode('ascii')}
    raise TypeError(type(value))


def outcome(text):
    try:
        data = yaml.load(text, Loader=Loader)
    except yaml.YAMLError:
        return {'error': True}
    except ValueError:
        return {'error': True}
    value = data['k']
    if value == 'null':
        value = None  # yaml_to_mux turns the string 'null' of a node's value into None
    elif value is None or isinstance(value, dict):
        return None
    return {'value': encode(value)}


def indent(value, by):
    return value.replace('\n', '\n' + ' ' * by).rstrip(' ')


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 13
    rng = random.Random(seed)
    texts = [f'k: {indent(v, 2)}\n' for v in SCALARS + COLLECTIONS]
    texts += [f'%YAML 1.2\n---\nk: {indent(v, 2)}\n' for v in COLLECTIONS[:4]]
    for _ in range(200):
        items = [rng.choice(SCALARS + COLLECTIONS) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.5:
            texts.append('k:\n' + ''.join(f'  - {indent(item, 4)}\n' for item in items))
        else:
            texts.append('k: [' + ', '.join(item for item in items if '\n' not in item) + ']\n')
    cases = []
    for text in dict.fromkeys(texts):
        result = outcome(text)
        if result is not None:
            cases.append({'text': text, **result})
    json.dump({'generator': 'bench/mux/gen/value_cases.py', 'seed': seed, 'pyyaml': yaml.__version__,
               'cases': cases}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
