"""Gunicorn settings for Xinjing Highlights (used by `make serve` and the benchmark)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Django views are CPU-bound here: two sync workers per core keep the cores busy while one waits
# on the database, without the memory of threads per worker.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "sync"
# A slow client must not hold a worker forever; nginx in front buffers them anyway.
timeout = 30
keepalive = 5
# Recycling guards against slow leaks; rarely, so that workers keep their local page cache.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# X-Forwarded-Proto and X-Forwarded-Ssl change the scheme of every URL a page prints: gunicorn
# honours them only when the site says a proxy in front sets them (as Django does).
TRUSTED_PROXY = os.environ.get("TRUST_X_FORWARDED_PROTO", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1") if TRUSTED_PROXY else ""
if not TRUSTED_PROXY:
    secure_scheme_headers = {}
