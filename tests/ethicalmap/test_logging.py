import json
import logging

from django.conf import settings
from pythonjsonlogger.json import JsonFormatter

from ethicalmap.logging import RedactPersonalData


def format_with_production_config(record):
    config = settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(config["format"], rename_fields=config["rename_fields"])
    RedactPersonalData().filter(record)
    record.correlation_id = "abc123"
    return json.loads(formatter.format(record))


def make_record(msg, *args):
    return logging.LogRecord("orgs", logging.INFO, __file__, 1, msg, args, None)


def test_production_logs_are_json_lines_with_the_request_id():
    line = format_with_production_config(make_record("Submission %s received", 42))
    assert line["message"] == "Submission 42 received"
    assert line["level"] == "INFO"
    assert line["request_id"] == "abc123"


def test_email_addresses_never_reach_a_log_line():
    line = format_with_production_config(
        make_record("Mail to %s failed for sam.smith+map@example.co.uk", "jo@example.org")
    )
    assert "@" not in line["message"]
    assert line["message"] == "Mail to [email] failed for [email]"


def test_the_console_handler_applies_the_filters():
    handler = settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_id", "no_personal_data"]
