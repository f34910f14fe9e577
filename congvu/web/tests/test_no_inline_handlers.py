"""No template carries an inline event handler (onclick=, onchange=, onsubmit=…): the
Content-Security-Policy blocks them; behaviour lives in the static scripts (app.js: data-confirm,
data-autosubmit)."""

import re
from pathlib import Path

import congvu

HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def test_no_template_has_an_inline_event_handler():
    root = Path(congvu.__file__).parent
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("templates/**/*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HANDLER.search(line)
    ]
    assert not found, found
