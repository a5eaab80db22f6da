"""What a reader reads of the Markdown a page sends: text from the data arrives escaped (formatting.markdown_text)."""

import re

from dashboard.formatting import WORD_JOINER


def as_read(markdown: str) -> str:
    """The text with Markdown's backslash escapes undone and the invisible word joiners dropped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")
