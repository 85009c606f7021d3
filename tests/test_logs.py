"""Log lines cannot be forged: a control character in a message is written escaped."""

import io
import logging
import logging.config

from django.conf import settings

from lianxin.logs import escape_controls


def test_escape_controls():
    assert escape_controls("标题\n2026-01-01 ERROR forged") == "标题\\n2026-01-01 ERROR forged"
    assert escape_controls("a\rb\tc\x00d\x1be\u2028f") == "a\\rb\\tc\\x00d\\x1be\\u2028f"
    assert escape_controls("plain 中文") == "plain 中文"


def test_the_configured_handlers_escape_arguments_of_every_logger():
    """Through settings.LOGGING as configured: the console handler carries the filter."""
    stream = io.StringIO()
    handler_config = settings.LOGGING["handlers"]["console"]
    config = {**settings.LOGGING, "handlers": {"console": {**handler_config, "stream": stream}}}
    logging.config.dictConfig(config)
    try:
        logging.getLogger("lianxin.notifications.channels").warning("notify %s: %s", "case", "标题\nINFO forged line")
        logging.getLogger("django-q").error("task %s", "x\ry")
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("lianxin").exception("failed %s", "a\nb")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "notify case: 标题\\nINFO forged line"
    assert lines[1] == "task x\\ry"
    assert lines[2] == "failed a\\nb"
    assert lines[3] == "Traceback (most recent call last):"  # tracebacks keep their lines


def test_json_lines_when_asked(settings):
    """LIANXIN_LOG_JSON: the console handler's formatter writes one JSON object per line, after the same filters."""
    import json

    stream = io.StringIO()
    handler_config = {**settings.LOGGING["handlers"]["console"], "formatter": "json", "stream": stream}
    logging.config.dictConfig({**settings.LOGGING, "handlers": {"console": handler_config}})
    try:
        logging.getLogger("lianxin.cases").warning("opened %s for %s", "/track/AB?token=s3cr3t", "标题\nforged")
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("lianxin").exception("failed")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "opened /track/AB?token=[redacted] for 标题\\nforged"
    assert (first["level"], first["logger"]) == ("WARNING", "lianxin.cases")
    assert first["time"].endswith("+00:00")
    assert second["message"] == "failed"
    assert second["exception"].startswith("Traceback") and "ValueError: boom" in second["exception"]
