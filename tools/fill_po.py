"""Fill English msgstr entries of congvu/locale/en from tools/en_translations.tsv (msgid<TAB>msgstr).

Run by `make messages` after makemessages; untranslated strings stay Vietnamese and are listed."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "congvu/locale/en/LC_MESSAGES/django.po"
TSV = ROOT / "tools/en_translations.tsv"

def main() -> int:
    table = {}
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            src, _, dst = line.partition("\t")
            table[src] = dst
    text = PO.read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    missing = []
    out = []
    for block in blocks:
        m = re.search(r'^msgid "(.*)"$', block, re.M)
        if m and m.group(1) and "msgid_plural" not in block:
            msgid = m.group(1)
            if msgid in table:
                block = re.sub(r'^msgstr ".*"$', lambda _: f'msgstr "{table[msgid]}"', block, flags=re.M)
                block = block.replace("#, fuzzy\n", "")
            elif re.search(r'^msgstr ""$', block, re.M):
                missing.append(msgid)
        elif "msgid_plural" in block:
            m2 = re.search(r'^msgid "(.*)"$', block, re.M)
            if m2 and m2.group(1) in table:
                dst = table[m2.group(1)]
                sing, _, plur = dst.partition("|")
                block = re.sub(r'^msgstr\[0\] ".*"$', lambda _: f'msgstr[0] "{sing}"', block, flags=re.M)
                block = re.sub(r'^msgstr\[1\] ".*"$', lambda _: f'msgstr[1] "{plur or sing}"', block, flags=re.M)
        out.append(block)
    PO.write_text("\n\n".join(out), encoding="utf-8")
    if missing:
        print(f"{len(missing)} strings without English:", *missing[:40], sep="\n  ", file=sys.stderr)
    return 0

if __name__ == "__main__":
    sys.exit(main())
