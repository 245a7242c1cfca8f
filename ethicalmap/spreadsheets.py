"""CSV that is safe to open in a spreadsheet.

A cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs
skip before reading the rest) is taken by Excel, LibreOffice and Google Sheets as a formula, so an
approved name like `=HYPERLINK(...)` would run for whoever opens the file. Following OWASP's
advice on CSV injection, such a text cell is written with a leading `'`, which spreadsheets read as
"this is text" and do not show. Numbers are written as they are (a negative longitude stays a
number). Every CSV the map writes goes through `writer()` or `DictWriter()` here.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
# What the data package's schema says about it, in its description of each text column.
SCHEMA_NOTE = (
    "Text that would begin with =, +, -, @, a tab or a carriage return is written with a "
    "leading ' so that spreadsheets never read it as a formula."
)


def safe_cell(value):
    """The value as written to a spreadsheet: text that would read as a formula is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, **kwargs):
    """`csv.writer`, with every text cell made safe for spreadsheets."""
    return _SafeWriter(csv.writer(file, **kwargs))


class DictWriter(csv.DictWriter):
    """`csv.DictWriter`, with every text cell made safe for spreadsheets (the header as it is)."""

    def writerow(self, rowdict):
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts):
        for rowdict in rowdicts:
            self.writerow(rowdict)
