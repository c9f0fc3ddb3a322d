"""Logging for operators: one line for each request (logger `bolig.request`) and the audit
events (`bolig.audit`, see bolig.audit), as text or, with LOG_FORMAT=json, one JSON object per
line for central logging. Every line logged while a request is served carries its request id,
which the answer also carries (X-Request-ID), so that a user's report can be found in the logs.

A request line holds the user's id, never the name, and the path with a calendar address's
secret replaced; never the query string, the session or a token."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

request_id = ContextVar("request_id", default="-")

# An id the balancer or the platform already gave the request is kept, if it looks like one.
GIVEN_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
SECRET_PARTS = ("token",)  # URL parameters that are secrets (the calendar feed's address)

logger = logging.getLogger("bolig.request")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the id of the request being served, or "-"."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class RequestLogMiddleware:
    """First of all middleware: gives each request its id and logs it when answered, with
    status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        token = request_id.set(given if GIVEN_ID.fullmatch(given) else uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request_id.get()
            logger.info(
                "%s %s %s %sms",
                request.method,
                logged_path(request),
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": logged_path(request),
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user_id(request),
                },
            )
            return response
        finally:
            request_id.reset(token)


def logged_path(request):
    match = request.resolver_match
    path = request.path
    if match is not None:
        for name in SECRET_PARTS:
            if secret := match.kwargs.get(name):
                path = path.replace(str(secret), "[hidden]")
    return path


def user_id(request):
    """The signed-in user's id, if the request read who it is (Django keeps the user it read
    as `_cached_user`); a request that never needed the user is not made to read the
    session for the log."""
    user = request.__dict__.get("_cached_user")
    return user.pk if user is not None and user.is_authenticated else None
