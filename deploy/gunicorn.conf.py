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
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
