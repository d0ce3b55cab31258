"""Generate test/fixtures/mux-conformance/inject.json: seeded random `--mux-inject /run:k:VALUE` values with
what the reference makes of VALUE: `ast.literal_eval`, falling back to the string (Python 3.11), encoded as
in the conformance corpus. Strings with every kind of escape, `\\N{...}` names (any case, Hangul, CJK, unknown),
bytes, raw strings, numbers, containers.

    python3 bench/mux/gen/inject_cases.py [SEED] > test/fixtures/mux-conformance/inject.json
"""
import ast
import json
import random
import sys
import unicodedata
import warnings

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from value_cases import encode  # noqa: E402

warnings.simplefilter('ignore')

NAMES = ['LATIN SMALL LETTER E WITH ACUTE', 'latin small letter e with acute', 'EM DASH', 'SNOWMAN',
         'HANGUL SYLLABLE GAG', 'HANGUL SYLLABLE A', 'CJK UNIFIED IDEOGRAPH-4E00', 'cjk unified ideograph-20000',
         'CJK COMPATIBILITY IDEOGRAPH-F900', 'TANGUT IDEOGRAPH-17000', 'NOPE', '', 'SPACE', 'DIGIT ONE',
         'GREEK SMALL LETTER ALPHA', 'CJK UNIFIED IDEOGRAPH-4DFF', 'HANGUL SYLLABLE XYZ', 'BRAILLE PATTERN DOTS-1234',
         'LINE FEED', 'NULL', 'BYTE ORDER MARK', 'LATIN CAPITAL LETTER GHA']
PIECES = ['a', 'é', ' ', '\\n', '\\t', '\\x41', '\\u00e9', '\\U0001F642', '\\101', '\\0', '\\q', '\\\\', "\\'",
          '\\"', '\\a', '\\N', '\\N{', '\\u12', '\\U00110000']


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 13
    rng = random.Random(seed)
    values = ['1', '0.5', 'True', 'None', "'007'", '1,2', "{'a': 1}", 'http://x:80/y', '[1, (2, 3)]', '-1e3',
              '0x1F', '1_000', "b'\\N{SNOWMAN}'", "r'\\N{SNOWMAN}'", "'\\N{SNOWMAN}'", '"\\N{EM DASH}"']
    values += [f"'\\N{{{name}}}'" for name in NAMES]
    for _ in range(150):
        body = ''.join(rng.choice(PIECES + [f'\\N{{{rng.choice(NAMES)}}}']) for _ in range(rng.randint(1, 4)))
        prefix = rng.choice(['', '', '', 'b', 'r', 'u', 'rb'])
        quote = rng.choice(["'", '"', "'''"])
        values.append(f'{prefix}{quote}{body}{quote}')
    cases = []
    for value in dict.fromkeys(values):
        try:
            result = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            result = value
        try:
            cases.append({'inject': f'/run:k:{value}', 'value': encode(result)})
        except TypeError:
            continue
    json.dump({'generator': 'bench/mux/gen/inject_cases.py', 'seed': seed, 'python': sys.version.split()[0],
               'unicode': unicodedata.unidata_version, 'cases': cases}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write('\n')


main()
