"""Logging helpers: nothing personal leaves the process in a log line."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


class RedactPersonalData(logging.Filter):
    """Mask email addresses in a record's message and arguments, whatever logged them."""

    def filter(self, record):
        if record.args:
            record.msg = record.getMessage()
            record.args = None
        if isinstance(record.msg, str):
            record.msg = EMAIL.sub("[email]", record.msg)
        return True
