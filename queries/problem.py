"""A problem found in a file: what is wrong, as a message for the reader, and where.

One type for the validator's problems in the data files and the Data desk's in a file it imports.
"""

from dataclasses import dataclass

from i18n import Message, message


@dataclass(frozen=True)
class Problem:
    """The validator names the data file; a file the Data desk imports is known to whoever reads the
    problem, so its problems give only the row and column."""

    message: Message
    file: str | None = None
    row: int | None = None  # as an editor or spreadsheet numbers it (a record: its first line); None: the whole file
    column: str | None = None  # None: the whole row (or file)

    @property
    def located(self) -> Message:
        """The message with where the problem is, as a person reads it: "facts.csv:17: ...", "row 5, region: ..."."""
        if self.file is not None:  # a file:line list; line 0 is the whole file
            return message("problem.in_file", file=self.file, line=self.row or 0, message=self.message)
        if self.row is None and self.column is None:
            return self.message
        if self.row is None:
            return message("problem.at_column", column=self.column, message=self.message)
        if self.column is None:
            return message("problem.at_row", row=self.row, message=self.message)
        return message("problem.at_row_column", row=self.row, column=self.column, message=self.message)
