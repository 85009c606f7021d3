"""gunicorn reads this file from the working directory: the access log never shows a follow-up token."""

logger_class = "lianxin.logredact.RedactingGunicornLogger"
