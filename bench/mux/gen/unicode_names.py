"""Generate src/mux/unicode-names-data.ts: the character names Python's `\\N{...}` escapes accept.

Names are looked up case-insensitively. Hangul syllables and CJK unified ideographs are algorithmic
(computed in unicode-names.ts as CPython's unicodedata does); every other name is in the table: runs of
`PREFIX-HEX` names as one line, the rest one name a line, prefixed by the gap from the previous code point
when it is not 1; the text is deflated and base64-encoded (about 180 KB, inflated on first use). Formal name
aliases (Unicode's NameAliases.txt, listed below) are added where `unicodedata.lookup` accepts them.

    python3 bench/mux/gen/unicode_names.py > src/mux/unicode-names-data.ts
"""
import base64
import sys
import unicodedata
import zlib


# NameAliases.txt (Unicode 8 and later), but the variation selectors, made by a loop below.
ALIASES = [(line.split(';')[0], line.split(';')[1]) for line in """
0000;NULL|NUL
0001;START OF HEADING|SOH
0002;START OF TEXT|STX
0003;END OF TEXT|ETX
0004;END OF TRANSMISSION|EOT
0005;ENQUIRY|ENQ
0006;ACKNOWLEDGE|ACK
0007;ALERT|BEL
0008;BACKSPACE|BS
0009;CHARACTER TABULATION|HORIZONTAL TABULATION|HT|TAB
000A;LINE FEED|NEW LINE|END OF LINE|LF|NL|EOL
000B;LINE TABULATION|VERTICAL TABULATION|VT
000C;FORM FEED|FF
000D;CARRIAGE RETURN|CR
000E;SHIFT OUT|LOCKING-SHIFT ONE|SO
000F;SHIFT IN|LOCKING-SHIFT ZERO|SI
0010;DATA LINK ESCAPE|DLE
0011;DEVICE CONTROL ONE|DC1
0012;DEVICE CONTROL TWO|DC2
0013;DEVICE CONTROL THREE|DC3
0014;DEVICE CONTROL FOUR|DC4
0015;NEGATIVE ACKNOWLEDGE|NAK
0016;SYNCHRONOUS IDLE|SYN
0017;END OF TRANSMISSION BLOCK|ETB
0018;CANCEL|CAN
0019;END OF MEDIUM|EOM
001A;SUBSTITUTE|SUB
001B;ESCAPE|ESC
001C;INFORMATION SEPARATOR FOUR|FILE SEPARATOR|FS
001D;INFORMATION SEPARATOR THREE|GROUP SEPARATOR|GS
001E;INFORMATION SEPARATOR TWO|RECORD SEPARATOR|RS
001F;INFORMATION SEPARATOR ONE|UNIT SEPARATOR|US
0020;SP
007F;DELETE|DEL
0080;PADDING CHARACTER|PAD
0081;HIGH OCTET PRESET|HOP
0082;BREAK PERMITTED HERE|BPH
0083;NO BREAK HERE|NBH
0084;INDEX|IND
0085;NEXT LINE|NEL
0086;START OF SELECTED AREA|SSA
0087;END OF SELECTED AREA|ESA
0088;CHARACTER TABULATION SET|HORIZONTAL TABULATION SET|HTS
0089;CHARACTER TABULATION WITH JUSTIFICATION|HORIZONTAL TABULATION WITH JUSTIFICATION|HTJ
008A;LINE TABULATION SET|VERTICAL TABULATION SET|VTS
008B;PARTIAL LINE FORWARD|PARTIAL LINE DOWN|PLD
008C;PARTIAL LINE BACKWARD|PARTIAL LINE UP|PLU
008D;REVERSE LINE FEED|REVERSE INDEX|RI
008E;SINGLE SHIFT TWO|SINGLE-SHIFT-2|SS2
008F;SINGLE SHIFT THREE|SINGLE-SHIFT-3|SS3
0090;DEVICE CONTROL STRING|DCS
0091;PRIVATE USE ONE|PRIVATE USE-1|PU1
0092;PRIVATE USE TWO|PRIVATE USE-2|PU2
0093;SET TRANSMIT STATE|STS
0094;CANCEL CHARACTER|CCH
0095;MESSAGE WAITING|MW
0096;START OF GUARDED AREA|START OF PROTECTED AREA|SPA
0097;END OF GUARDED AREA|END OF PROTECTED AREA|EPA
0098;START OF STRING|SOS
0099;SINGLE GRAPHIC CHARACTER INTRODUCER|SGC
009A;SINGLE CHARACTER INTRODUCER|SCI
009B;CONTROL SEQUENCE INTRODUCER|CSI
009C;STRING TERMINATOR|ST
009D;OPERATING SYSTEM COMMAND|OSC
009E;PRIVACY MESSAGE|PM
009F;APPLICATION PROGRAM COMMAND|APC
00A0;NBSP
00AD;SHY
01A2;LATIN CAPITAL LETTER GHA
01A3;LATIN SMALL LETTER GHA
034F;CGJ
0616;ARABIC SMALL HIGH LIGATURE ALEF WITH YEH BARREE
061C;ALM
0709;SYRIAC SUBLINEAR COLON SKEWED LEFT
0CDE;KANNADA LETTER LLLA
0E9D;LAO LETTER FO FON
0E9F;LAO LETTER FO FAY
0EA3;LAO LETTER RO
0EA5;LAO LETTER LO
0FD0;TIBETAN MARK BKA- SHOG GI MGO RGYAN
11EC;HANGUL JONGSEONG YESIEUNG-KIYEOK
11ED;HANGUL JONGSEONG YESIEUNG-SSANGKIYEOK
11EE;HANGUL JONGSEONG SSANGYESIEUNG
11EF;HANGUL JONGSEONG YESIEUNG-KHIEUKH
180B;FVS1
180C;FVS2
180D;FVS3
180E;MVS
180F;FVS4
1BBD;SUNDANESE LETTER ARCHAIC I
200B;ZWSP
200C;ZWNJ
200D;ZWJ
200E;LRM
200F;RLM
202A;LRE
202B;RLE
202C;PDF
202D;LRO
202E;RLO
202F;NNBSP
205F;MMSP
2060;WJ
2066;LRI
2067;RLI
2068;FSI
2069;PDI
2118;WEIERSTRASS ELLIPTIC FUNCTION
2448;MICR ON US SYMBOL
2449;MICR DASH SYMBOL
2B7A;LEFTWARDS TRIANGLE-HEADED ARROW WITH DOUBLE VERTICAL STROKE
2B7C;RIGHTWARDS TRIANGLE-HEADED ARROW WITH DOUBLE VERTICAL STROKE
A015;YI SYLLABLE ITERATION MARK
FE18;PRESENTATION FORM FOR VERTICAL RIGHT WHITE LENTICULAR BRACKET
FEFF;BYTE ORDER MARK|BOM|ZWNBSP
122D4;CUNEIFORM SIGN NU11 TENU
122D5;CUNEIFORM SIGN NU11 OVER NU11 BUR OVER BUR
16E56;MEDEFAIDRIN CAPITAL LETTER H
16E57;MEDEFAIDRIN CAPITAL LETTER NG
16E76;MEDEFAIDRIN SMALL LETTER H
16E77;MEDEFAIDRIN SMALL LETTER NG
1B001;HENTAIGANA LETTER E-1
1D0C5;BYZANTINE MUSICAL SYMBOL FTHORA SKLIRON CHROMA VASIS
1E899;MENDE KIKAKUI SYLLABLE M172 MBO
1E89A;MENDE KIKAKUI SYLLABLE M174 MBOO
""".strip().split('\n')]


def algorithmic(cp, name):
    return name.startswith('CJK UNIFIED IDEOGRAPH-') or name.startswith('HANGUL SYLLABLE ')


def main():
    entries = []
    for cp in range(0x110000):
        name = unicodedata.name(chr(cp), None)
        if name and not algorithmic(cp, name):
            entries.append((cp, name))
    # group PREFIX-HEX runs
    out, previous, index = [], -1, 0
    while index < len(entries):
        cp, name = entries[index]
        suffix = f'-{cp:04X}'
        gap = cp - previous - 1
        head = f'+{gap:x} ' if gap else ''
        if name.endswith(suffix):
            prefix = name[: -len(suffix)]
            end = index
            while end + 1 < len(entries):
                ncp, nname = entries[end + 1]
                if ncp == entries[end][0] + 1 and nname == f'{prefix}-{ncp:04X}':
                    end += 1
                else:
                    break
            if end > index:
                out.append(f'{head}*{end - index:x} {prefix}')
                previous = entries[end][0]
                index = end + 1
                continue
        out.append(f'{head}{name}')
        previous = cp
        index += 1
    aliases = []
    for code, names in ALIASES + [(f'{0xFE00 + i:04X}', f'VS{i + 1}') for i in range(16)] + [
            (f'{0xE0100 + i:04X}', f'VS{i + 17}') for i in range(240)]:
        for alias in names.split('|'):
            try:
                if unicodedata.lookup(alias) == chr(int(code, 16)):
                    aliases.append(f'{alias}={code}')
            except KeyError:
                pass
    text = '\n'.join(out) + '\n\n' + '\n'.join(aliases)
    data = base64.b64encode(zlib.compress(text.encode('ascii'), 9)).decode('ascii')
    chunks = [data[i : i + 100] for i in range(0, len(data), 100)]
    print('/**')
    print(f' * Generated by bench/mux/gen/unicode_names.py from Python {sys.version.split()[0]} (Unicode')
    print(f' * {unicodedata.unidata_version}): deflated, base64 table of character names. Do not edit.')
    print(' */')
    print('export const NAMES_DEFLATED_BASE64 = [')
    for c in chunks:
        print(f"  '{c}',")
    print("].join('');")


main()
