"""Gunicorn settings for Xinjing Highlights (used by `make serve` and the benchmark)."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two processes per core keep the cores busy while one waits on the database. Threaded workers
# keep HTTP connections alive (nginx's upstream keepalive, or many clients at once): with sync
# workers every request costs a new connection, and under load some connections stalled for
# a second or more waiting to be accepted (seen in bench/results.md).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A slow client must not hold a worker forever; nginx in front buffers them anyway.
timeout = 30
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
