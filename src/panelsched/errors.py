"""Errors for bad input: one clear message per problem, naming file, row and column."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file.

    Parameters
    ----------
    file
        The file's name as the user gave it.
    message
        What is wrong and what was expected, in plain words.
    row
        The spreadsheet row (the header is row 1), when the file is a table.
    column
        The column's header, when the file is a table.
    panel
        The panel id, when the file is a model.
    key
        The model key, when the file is a model.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    panel: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.panel is not None:
            where.append(f"panel '{self.panel}'")
        if self.key is not None:
            where.append(f"key '{self.key}'")
        return f"{', '.join(where)}: {self.message}"


class InputError(Exception):
    """Raised when an input file cannot be used; carries every problem found.

    The command line prints each problem on its own line and exits with status 2.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, file: str, message: str, **where: object) -> InputError:
        """Build an error holding a single problem."""
        return cls([Problem(file, message, **where)])  # type: ignore[arg-type]
