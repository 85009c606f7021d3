"""Log lines that cannot be forged: control characters in a message are written escaped.

A title, a name or a URL typed by anyone ends up in log messages (the console notification channel
logs the notification's body); a newline in it would start what looks like a new, separate log line.
The filter sits on every handler of `settings.LOGGING`, so it sees the records of every logger
(ours, Django's, django-q's worker) before they are formatted. Tracebacks keep their lines.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

# C0 and C1 controls and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """``"a\\nb"`` → ``"a\\\\nb"``: every control character as a visible escape, the rest unchanged."""
    return _CONTROL.sub(
        lambda m: _NAMED.get(
            m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


class EscapeControlCharacters(logging.Filter):
    """Replace the record's message by its escaped form (the arguments are merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return True
        escaped = escape_controls(message)
        if escaped != message or record.args:
            record.msg, record.args = escaped, None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LIANXIN_LOG_JSON): time, level, logger, message and, for an exception, its
    traceback as one string. The handler's filters have redacted tokens and escaped control characters first."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            # UTC: gunicorn's master and Django's workers (TIME_ZONE set) agree
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        status = getattr(record, "status_code", None)  # django.request's 4xx/5xx lines
        if isinstance(status, int):
            entry["status"] = status
        fields = getattr(record, "fields", None)  # gunicorn's access entry (lianxin.logredact.JsonGunicornLogger)
        if isinstance(fields, dict):
            entry.update({key: value for key, value in fields.items() if key not in entry})
        return json.dumps(entry, ensure_ascii=False)
