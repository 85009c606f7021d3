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
