#!/usr/bin/env python
"""Benchmark the production setup against the physical limit on this machine (`make bench`).

It builds a throwaway site in bench/work/ (the demo review plus `seed_scale` data), starts it
the way `make serve` does (gunicorn, DEBUG off, WhiteNoise) twice, with and without the page
cache, plus two baselines: nginx serving the home page's HTML as a static file (the physical
limit) and a minimal Django view returning that HTML from memory through the same gunicorn
setup (the framework floor). wrk drives each page from a separate process, for a fixed time, at
a few concurrency levels, on 127.0.0.1 only. One table goes to stdout and bench/results.md.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
PYTHON = sys.executable
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8,32").split(",")]
CACHED_PORT, UNCACHED_PORT, NGINX_PORT = 8301, 8302, 8303
DEMO_PASSWORD = secrets.token_urlsafe(12)

PAGES = [
    ("home", "/"),
    ("keyword", "/2023/keywords/thematic-education/"),
    ("key figures", "/2023/figures/"),
    ("awards", "/awards/"),
    ("search", "/search/?q=%E7%94%9F%E5%A2%83"),
    ("home (English)", "/en/"),
]


class Result(NamedTuple):
    page: str
    mode: str
    connections: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def environment() -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(WORK / "media"),
        "STATIC_ROOT": str(WORK / "static"),
        "CONTENT_VERSION_FILE": str(WORK / "content-version"),
        "BENCH_FLOOR_FILE": str(WORK / "html" / "index.html"),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SERVE_MEDIA": "1",
        "DEMO_PASSWORD": DEMO_PASSWORD,
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'bench.sqlite3'}")
    return env


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare(env: dict) -> str:
    """Database with demo and scale data, static files, and an admin session cookie."""
    WORK.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput")
    manage(env, "setup_demo")
    manage(env, "seed_scale")
    manage(env, "collectstatic", "--noinput")
    code = (
        "from django.contrib.auth import get_user_model;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "u = get_user_model().objects.get(username='demo');"
        "s = SessionStore(); s['_auth_user_id'] = str(u.pk);"
        "s['_auth_user_backend'] = 'django.contrib.auth.backends.ModelBackend';"
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


def start_gunicorn(env: dict, port: int, cache: bool) -> subprocess.Popen:
    server_env = {**env, "BIND": f"127.0.0.1:{port}", "PAGE_CACHE_SECONDS": "600" if cache else "0"}
    return subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "xinjing.wsgi",
            "--config",
            "deploy/gunicorn.conf.py",
        ],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def start_nginx() -> subprocess.Popen:
    conf = WORK / "nginx.conf"
    conf.write_text(
        f"""daemon off;
worker_processes 2;
pid {WORK}/nginx.pid;
error_log stderr error;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {WORK}/nginx-body;
    proxy_temp_path {WORK}/nginx-proxy;
    fastcgi_temp_path {WORK}/nginx-fastcgi;
    uwsgi_temp_path {WORK}/nginx-uwsgi;
    scgi_temp_path {WORK}/nginx-scgi;
    server {{
        listen 127.0.0.1:{NGINX_PORT};
        root {WORK}/html;
        location / {{ default_type "text/html; charset=utf-8"; try_files /index.html =404; }}
    }}
}}
"""
    )
    return subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(WORK)],
        start_new_session=True,
        stderr=subprocess.DEVNULL,
    )


def wait_for(url: str, headers: dict | None = None) -> bytes:
    for _ in range(100):
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str, connections: int, headers: dict | None = None) -> tuple[float, float, float, int]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{DURATION}s", "--latency", "--timeout", "5s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    try:
        return parse_wrk(output)
    except (AttributeError, ValueError) as error:
        raise RuntimeError(f"Could not read wrk's output for {url}:\n{output}") from error


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value.strip()).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}[unit]


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    """Requests/s, p50 and p99 in ms, and errors (socket errors and non-2xx/3xx answers)."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    return rps, p50, p99, errors


def measure(label: str, mode: str, url: str, headers: dict | None = None) -> list[Result]:
    wait_for(url, headers)
    wrk(url, 4, headers)  # warm-up: workers loaded, templates compiled, cache filled
    results = []
    for connections in CONCURRENCY:
        rps, p50, p99, errors = wrk(url, connections, headers)
        results.append(Result(label, mode, connections, rps, p50, p99, errors))
        print(
            f"{label:<22} {mode:<9} c={connections:<3} {rps:>9.0f} req/s  "
            f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  errors {errors}"
        )
    return results


def report(results: list[Result]) -> str:
    limit = {r.connections: r.rps for r in results if r.mode == "static"}
    floor = {r.connections: r.rps for r in results if r.mode == "floor"}
    lines = [
        "# Benchmark results",
        "",
        f"- When: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores; "
        f"{DURATION} s per run with wrk (2 threads) on 127.0.0.1.",
        f"- Database: {environment()['DATABASE_URL'].split(':')[0]}; data: the 2023 demo plus "
        "`seed_scale` (20 years × 30 keywords × 20 initiatives, figures and awards).",
        "- Baselines: *static* is nginx serving the home page's HTML from a file (the physical "
        "limit); *floor* is a minimal Django view returning that HTML from memory through the "
        "same gunicorn and middleware (the framework floor).",
        "",
        "| page | mode | connections | requests/s | p50 ms | p99 ms | errors "
        "| vs static | vs floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        vs_limit = f"{r.rps / limit[r.connections]:.0%}" if limit.get(r.connections) else "–"
        vs_floor = f"{r.rps / floor[r.connections]:.0%}" if floor.get(r.connections) else "–"
        lines.append(
            f"| {r.page} | {r.mode} | {r.connections} | {r.rps:,.0f} | {r.p50_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.errors} | {vs_limit} | {vs_floor} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install wrk nginx-light")
    env = environment()
    print("Preparing the benchmark site in bench/work/ …")
    session = prepare(env)
    servers = [
        start_gunicorn(env, CACHED_PORT, cache=True),
        start_gunicorn(env, UNCACHED_PORT, cache=False),
    ]
    try:
        html = wait_for(f"http://127.0.0.1:{CACHED_PORT}/")
        (WORK / "html").mkdir(exist_ok=True)
        (WORK / "html" / "index.html").write_bytes(html)
        # Restart so that the floor view reads the file that now exists.
        for server in servers:
            os.killpg(server.pid, signal.SIGHUP)
        time.sleep(2)
        servers.append(start_nginx())
        results = measure("home (static file)", "static", f"http://127.0.0.1:{NGINX_PORT}/")
        results += measure(
            "home (framework floor)", "floor", f"http://127.0.0.1:{UNCACHED_PORT}/__floor__/"
        )
        for label, path in PAGES:
            results += measure(label, "cached", f"http://127.0.0.1:{CACHED_PORT}{path}")
            results += measure(label, "uncached", f"http://127.0.0.1:{UNCACHED_PORT}{path}")
        admin = f"http://127.0.0.1:{UNCACHED_PORT}/admin/highlights/keyword/"
        results += measure(
            "admin keyword list", "logged in", admin, {"Cookie": f"sessionid={session}"}
        )
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
    text = report(results)
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    print("\n" + text)


if __name__ == "__main__":
    main()
