"""What the lower layers say to a person, before it is put into words: a catalogue key with values.

The validator, the query layer and the Data desk never write a sentence where a problem arises: they
make a `Message(key, values)` and only `i18n.t(message)` turns it into words, in the language of
whoever reads it (the page's session language, or English on a command line). Values that are
messages are rendered in the same language; a `Number` is written the reader's way.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

# Characters that move a terminal's cursor, clear it, or reorder text (C0 and C1 controls, the
# bidirectional overrides and isolates): shown as escapes wherever text from a file is quoted.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LONGEST_QUOTE = 60


@dataclass(frozen=True)
class Number:
    """A count, size or bound in a message, written the reader's way: 1,048,576 (en), 1 048 576 (ru, kk).
    Row numbers stay plain ints: a spreadsheet prints them without grouping."""

    value: int | Decimal


@dataclass(frozen=True)
class Message:
    """A text by catalogue key ("ingest.not_a_number"), with the values for its placeholders."""

    key: str
    values: dict = field(default_factory=dict)


def printable(text: str) -> str:
    """Text from a file with its control characters escaped: '\x1b[2J' prints as the six characters."""
    return CONTROL.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


def quoted(text: str) -> str:
    """A cell's text as messages quote it: control characters escaped, long cells shortened."""
    text = printable(text)
    return f"'{text}'" if len(text) <= LONGEST_QUOTE else f"'{text[:LONGEST_QUOTE - 3]}...'"
