"""Keeping the tokens in emailed links private: response headers, and logs without them.

A token in a URL is a password for an action (or an account). It must not leave in a Referer
header, be indexed or cached, or be written to an access log.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, Response, request

PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
# Paths whose next segment is a token: update links, set-password links, calendar feeds.
TOKEN_PATH = re.compile(r"(/(?:u|set-password|feeds)/)[^\s/?#\"']+")
PRIVATE_PREFIXES = ("/u/", "/set-password/")
REDACTED = r"\1<redacted>"
# The loggers that print request paths: the development server's access log, gunicorn's access
# and error logs, and Flask's own "Exception on /path" messages (the app's logger).
PATH_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def mark_private(response: Response) -> Response:
    """Headers for a page whose address holds a token."""
    for name, value in PRIVATE_HEADERS.items():
        response.headers[name] = value
    return response


def mark_token_paths_private(response: Response) -> Response:
    """For every response of the app: private headers when the address holds a token, whatever
    answered it (the page, an error page, a 404 for a path under /u/ that no route matches)."""
    if request.path.startswith(PRIVATE_PREFIXES):
        mark_private(response)
    return response


def redact(text: str) -> str:
    return TOKEN_PATH.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    """Replace the token in /u/<token> and /set-password/<token> with <redacted>."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is logging's business, not ours
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_log_redaction(app: Flask) -> None:
    """Put the filter on every logger that prints request paths (once per logger)."""
    for name in (*PATH_LOGGERS, app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
