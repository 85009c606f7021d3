"""Follow-up tokens (`?token=…`, the key of a citizen's tracking link) never reach a log: the access log of
gunicorn (its request line, query string and Referer) and Django's request/server loggers are redacted here."""

from __future__ import annotations

import logging
import re
import traceback

from gunicorn.glogging import Logger as GunicornLogger

# token=… in a query string, plain or percent-encoded (%3D is "=", %26 is "&").
TOKEN_PARAM = re.compile(r"(?i)((?:^|[?&;]|%26|%3F)token(?:=|%3D))[^&;\s\"']*")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return TOKEN_PARAM.sub(lambda m: m.group(1) + REDACTED, text) if "oken" in text or "OKEN" in text else text


class RedactingGunicornLogger(GunicornLogger):
    """`gunicorn --logger-class lianxin.logredact.RedactingGunicornLogger`: every text atom of the access log
    (request line, query, Referer, headers) with tokens redacted."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()}


class RedactTokensFilter(logging.Filter):
    """For Django's loggers (django.server writes the request line, django.request the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


class JsonGunicornLogger(RedactingGunicornLogger):
    """LIANXIN_LOG_JSON (gunicorn.conf.py picks it): gunicorn's own lines and the access log as one JSON object per
    line, with the same redaction; the access entry keeps the client address Django used (X-Forwarded-For is only
    believed from LIANXIN_TRUSTED_PROXIES, which the access log cannot know: both are written)."""

    def setup(self, cfg):
        super().setup(cfg)
        from lianxin.logs import JsonFormatter  # noqa: PLC0415 — lianxin.logs imports nothing of gunicorn; kept apart

        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "type": "access",
            "peer": atoms.get("h"),
            "forwarded_for": atoms.get("{x-forwarded-for}i", ""),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "query": atoms.get("q"),
            "status": int(atoms["s"]) if str(atoms.get("s", "")).isdigit() else atoms.get("s"),
            "bytes": atoms.get("B"),
            "duration_ms": atoms.get("M"),
            "referer": atoms.get("f"),
            "user_agent": atoms.get("a"),
        }
        try:
            self.access_log.info("%s %s %s", entry["method"], entry["path"], entry["status"], extra={"fields": entry})
        except Exception:
            self.error(traceback.format_exc())
