"""Gunicorn's configuration for production (deploy/start), from the environment.

PORT (8000) or GUNICORN_BIND; WEB_CONCURRENCY workers (3: about 2 × cores + 1 on the small
instances we expect; each takes the memory `make bench` reports), GUNICORN_THREADS per worker
(1), GUNICORN_TIMEOUT seconds for one request (120: the yearly report's PDF takes seconds, not
minutes), FORWARDED_ALLOW_IPS (the balancer's addresses, whose X-Forwarded-* headers are
believed). The access log goes to standard output, unless LOG_FORMAT=json, where the
application's own request line (bolig.request, with request and user id) replaces it and
gunicorn's own lines are JSON too."""

import os
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30  # on SIGTERM, requests under way may finish (rolling restarts)
keepalive = 5
# A worker is replaced after this many requests, so that no slow growth of memory lasts.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None if os.environ.get("LOG_FORMAT") == "json" else "-"
errorlog = "-"
if os.environ.get("LOG_FORMAT") == "json":
    # gunicorn's own lines (starting, workers, timeouts) as JSON too, like the application's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {"gunicorn.error": {"handlers": ["console"], "level": "INFO"}},
    }
# Nothing written to disk, which may be read-only in a container: workers' heartbeat files in
# memory, and no control socket (gunicorn 27's, in $HOME; instances are managed by the platform).
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
control_socket_disable = True
wsgi_app = "bolig.wsgi:application"
