"""Every sentence the import, the Data desk page and the data-health banner show a person.

The templates live in the dashboard's catalogues (dashboard/i18n/{kk,ru,en}.toml, table [ingest]), so
problems are reported in the reader's language. Code never writes a sentence where a problem arises:
it raises or collects a `Message(key, values)` and only `text()` turns it into words, in the language
current when it is read (the page's session language, or English on the command line).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from babel.numbers import format_decimal

from dashboard.i18n import catalogue, current, t

PREFIX = "ingest."
# Characters that move a terminal's cursor, clear it, or reorder text (C0 and C1 controls, the
# bidirectional overrides and isolates): shown as escapes wherever text from a file is quoted.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

@dataclass(frozen=True)
class Number:
    """A count, size or bound in a message, written the reader's way: 1,048,576 (en), 1 048 576 (ru, kk).
    Row numbers stay plain ints: a spreadsheet prints them without grouping."""

    value: int | Decimal

    def text(self) -> str:
        return format_decimal(self.value, locale=current())


@dataclass(frozen=True)
class Message:
    """A message by template key, with the values for its placeholders."""

    key: str
    values: dict = field(default_factory=dict)

    def text(self) -> str:
        # Values that are messages (a suggestion inside a message) or numbers are rendered first.
        values = {name: value.text() if isinstance(value, Message | Number) else value
                  for name, value in self.values.items()}
        return t(PREFIX + self.key, **values)

    def __str__(self) -> str:
        return self.text()


def message(key: str, **values) -> Message:
    if PREFIX + key not in catalogue("en"):
        raise KeyError(f"no message template {key!r}")
    return Message(key, values)


def text(key: str, **values) -> str:
    """The text of a template, for labels and notices shown directly."""
    return message(key, **values).text()


def printable(text: str) -> str:
    """Text from a file with its control characters escaped: '\x1b[2J' prints as the six characters."""
    return CONTROL.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


def quoted(text: str) -> str:
    """A cell's text as messages quote it: control characters escaped, long cells shortened."""
    text = printable(text)
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57]}...'"
