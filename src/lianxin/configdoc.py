"""docs/configuration.md, rendered from the variables settings.py reads (`make configuration` writes it).

`python -m lianxin.configdoc > docs/configuration.md`; tests/configuration checks the file is up to date.
"""

from __future__ import annotations

from itertools import groupby

from lianxin.env import VARIABLES

HEADER = """\
# Configuration

Every setting is read from the environment by `src/lianxin/settings.py`, the one place that lists them,
with the strict parsers of `src/lianxin/env.py`: a variable that is set but malformed (a word where a
number belongs, a number out of its range, JSON of the wrong shape) stops the process at start-up with a
message naming the variable. An empty variable counts as unset. Each app reads its values through its
`conf.py` (for example `lianxin.voters.conf.pairing_minimum()` returns `settings.VOTERS_PAIRING_MINIMUM`).

This file is generated from settings.py (`make configuration`); a test fails when the two differ.
Sections name the app that reads the variables. From "Suggestions" on, each variable sets the Django setting of
its name without `LIANXIN_` (`LIANXIN_SUGGESTION_SIGN_DAYS` sets `SUGGESTION_SIGN_DAYS`).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    parts = [HEADER]
    for title, variables in groupby(VARIABLES.values(), key=lambda v: v.section):
        parts.append(f"\n## {title}\n\n| Variable | Default | Unit / values | Meaning |\n|---|---|---|---|\n")
        for v in variables:
            parts.append(f"| `{v.name}` | {_cell(v.default)} | {_cell(v.unit)} | {_cell(v.doc)} |\n")
    return "".join(parts)


if __name__ == "__main__":
    import lianxin.settings  # noqa: F401  (reading the settings lists the variables)

    print(render(), end="")
