#!/usr/bin/env python
"""Benchmark the production setup against the physical limit on this machine (`make bench`).

It builds two throwaway sites in bench/work/: *scale* (the demo review plus `seed_scale` data,
about 100 times the demo) and *demo* (the 2023 review alone). It starts them the way `make
serve` does (gunicorn, DEBUG off, WhiteNoise): the scale site with and without the page cache
(*uncached* is every page built from nothing, as for the first request after a save), once more
without worker recycling; the demo site without the page cache, so that awards and search at
100× data can be compared with the same pages at 1×. Beside them: nginx serving
the home page's HTML as a static file (the physical limit), the deploy/ nginx micro-cache in
front of the cached site (adapted to plain HTTP on loopback), a minimal Django view returning
the stored HTML through the same gunicorn setup and middleware (the framework floor), and the
same view with no middleware at all (the bare Django view), which cached pages are judged by,
on local memory and on Redis. wrk drives
each page from a separate process, for a fixed time, at a few concurrency levels, on 127.0.0.1
only. One table goes to stdout and bench/results.md.
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
UNIQUE_SEARCH = ROOT / "bench" / "unique_search.lua"
UNIQUE_PAIR_SEARCH = ROOT / "bench" / "unique_pair_search.lua"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# Keys of this run's own under the benchmark's Redis: removed afterwards, nothing else touched.
REDIS_PREFIX = f"xinjing-bench-{secrets.token_hex(6)}"
# The figures the speed work is measured against, kept from an earlier run of this script.
BASELINE = ROOT / "bench" / "baseline.md"
PYTHON = sys.executable
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
CONCURRENCY = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "8,32").split(",")]
CACHED_PORT, UNCACHED_PORT, NGINX_PORT = 8301, 8302, 8303
STEADY_PORT, DEMO_PORT, MICRO_CACHE_PORT = 8304, 8305, 8306
BARE_PORT, REDIS_CACHED_PORT = 8307, 8308
DEMO_PASSWORD = secrets.token_urlsafe(12)

PAGES = [
    ("home", "/"),
    ("keyword", "/2023/keywords/thematic-education/"),
    ("key figures", "/2023/figures/"),
    ("awards", "/awards/"),
    ("search", "/search/?q=%E7%94%9F%E5%A2%83"),
    ("home (English)", "/en/"),
]
FLOOR_LABEL = "home (framework floor)"
BARE_LABEL = "home (bare Django view)"
# Cached pages measured in turns with the bare view, on local memory and on Redis.
BARE_COMPARED = [PAGES[0], PAGES[1]]
# Cached pages measured again without worker recycling, to show what recycling costs.
RECYCLED_PAGES = [PAGES[2], PAGES[5]]
# Pages whose work grows with the data: measured again on the demo alone.
SCALED_PAGES = [PAGES[3], PAGES[4]]


class Result(NamedTuple):
    page: str
    mode: str
    connections: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    # The framework floor measured in turns with this row, where it was; else the run's.
    floor: float | None = None


def environment(site: str = "scale") -> dict[str, str]:
    work = WORK / site
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "BENCH_FLOOR_FILE": str(WORK / "html" / "index.html"),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SERVE_MEDIA": "1",
        "DEMO_PASSWORD": DEMO_PASSWORD,
    }
    if site != "scale" or "DATABASE_URL" not in env:
        env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    return env


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def prepare(env: dict, scale: bool = True) -> str:
    """Database with demo (and scale) data, static files, and an admin session cookie."""
    Path(env["MEDIA_ROOT"]).parent.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput")
    manage(env, "setup_demo")
    if scale:
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


def start_gunicorn(
    env: dict, port: int, cache: bool, recycle: bool = True, **settings: str
) -> subprocess.Popen:
    server_env = {
        **env,
        "BIND": f"127.0.0.1:{port}",
        "PAGE_CACHE_SECONDS": "600" if cache else "0",
        **settings,
    }
    if not recycle:
        server_env["GUNICORN_MAX_REQUESTS"] = "0"
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
    # deploy/nginx.conf's micro-cache, on plain HTTP in front of the cached site.
    upstream xinjing_app {{ server 127.0.0.1:{CACHED_PORT}; keepalive 32; }}
    proxy_cache_path {WORK}/nginx-cache levels=1:2 keys_zone=xinjing_micro:10m
                     max_size=256m inactive=10m use_temp_path=off;
    map $http_cookie $xinjing_skip_cache {{ default 0; ~*sessionid 1; }}
    server {{
        listen 127.0.0.1:{MICRO_CACHE_PORT};
        location / {{
            proxy_pass http://xinjing_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_cache xinjing_micro;
            proxy_cache_key "$scheme$host$request_uri$cookie_care";
            proxy_cache_valid 200 5s;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_bypass $xinjing_skip_cache;
            proxy_no_cache $xinjing_skip_cache;
        }}
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


def wrk(
    url: str, connections: int, headers: dict | None = None, script: Path | None = None
) -> tuple[float, float, float, int]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{DURATION}s", "--latency", "--timeout", "5s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["--script", str(script)]
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


def measure(
    label: str, mode: str, url: str, headers: dict | None = None, script: Path | None = None
) -> list[Result]:
    wait_for(url, headers)
    wrk(url, 4, headers, script)  # warm-up: workers loaded, templates compiled, cache filled
    results = []
    for connections in CONCURRENCY:
        rps, p50, p99, errors = wrk(url, connections, headers, script)
        results.append(Result(label, mode, connections, rps, p50, p99, errors))
        print(
            f"{label:<22} {mode:<9} c={connections:<3} {rps:>9.0f} req/s  "
            f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  errors {errors}"
        )
    return results


class Setup(NamedTuple):
    """Where a row is measured: a URL, with a wrk script and request headers or none."""

    url: str
    script: Path | None = None
    headers: dict | None = None


def measure_alternately(setups: dict[tuple[str, str], Setup], rounds: int = 3) -> list[Result]:
    """Setups compared with each other, run in turns and reported by their median run: one
    run of each, seconds apart, differed by whatever else the machine was doing. Each setup is
    a page and mode, measured at a URL (with a wrk script or none)."""
    for url, script, headers in setups.values():
        wait_for(url, headers)
        wrk(url, 4, headers, script)
    results = []
    for connections in CONCURRENCY:
        runs = {setup: [] for setup in setups}
        for _ in range(rounds):
            for setup, (url, script, headers) in setups.items():
                runs[setup].append(wrk(url, connections, headers, script))
        for (label, mode), samples in runs.items():
            rps, p50, p99, errors = sorted(samples)[len(samples) // 2]
            results.append(Result(label, mode, connections, rps, p50, p99, errors))
            print(
                f"{label:<22} {mode:<9} c={connections:<3} {rps:>9.0f} req/s  "
                f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  errors {errors} (median of {rounds})"
            )
    return results


def beside_the_floor(setups: dict[tuple[str, str], Setup], floor_url: str) -> list[Result]:
    """Rows measured in turns with the framework floor, which they are then judged by."""
    results = measure_alternately({**setups, (FLOOR_LABEL, "floor"): Setup(floor_url)})
    floors = {r.connections: r.rps for r in results if r.mode == "floor"}
    return [r._replace(floor=floors[r.connections]) for r in results if r.mode != "floor"]


def baseline() -> dict[tuple[str, str, int], tuple[float, float]]:
    """Requests/s by page, mode and connections from the baseline's tables, each with the
    framework floor of its run: the main table's floor row, or a row's own floor column."""
    rows, floors = {}, {}
    own_floor = False
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] == "page":
            own_floor = "floor requests/s" in cells
        if len(cells) >= 5 and cells[2].isdigit():
            key = cells[0], cells[1], int(cells[2])
            rate = float(cells[3].replace(",", ""))
            rows[key] = rate, float(cells[4].replace(",", "")) if own_floor else None
            if cells[0] == FLOOR_LABEL:
                floors[key[2]] = rate
    return {key: (rate, floor or floors.get(key[2])) for key, (rate, floor) in rows.items()}


def floor_of(row: Result, results: list[Result]) -> float | None:
    """The framework floor a row is judged by: the one measured in turns with it, where it
    was, else the run's own at the same concurrency."""
    run_floors = (r.rps for r in results if r.mode == "floor" and r.connections == row.connections)
    return row.floor or next(run_floors, None)


def against_baseline(results: list[Result]) -> dict[tuple[str, str, int], float]:
    """Each row's rate as a multiple of the baseline's, both taken relative to the framework
    floor of their own run: the baseline may come from a faster or a quieter machine."""
    before = baseline()
    multiples = {}
    for r in results:
        base, base_floor = before.get((r.page, r.mode, r.connections), (None, None))
        own_floor = floor_of(r, results)
        if base and base_floor and own_floor:
            multiples[r.page, r.mode, r.connections] = (r.rps / own_floor) / (base / base_floor)
    return multiples


def ratio(numerator: float | None, denominator: float | None = 1.0) -> str:
    return f"{numerator / denominator:.2f}×" if numerator and denominator else "–"


def targets(results: list[Result]) -> list[str]:
    """Each of issue #12's targets as the ratio this run measured, per concurrency level."""
    rps = {(r.page, r.mode, r.connections): r.rps for r in results}
    before = against_baseline(results)
    lines = ["", "## Targets (ratios from this run)", ""]
    for c in CONCURRENCY:
        floor = rps.get((FLOOR_LABEL, "floor", c))
        static = rps.get(("home (static file)", "static", c))
        parts = [
            f"{page} {ratio(before.get((page, 'uncached', c)))} of baseline, "
            f"{ratio(rps.get((page, 'uncached', c)), floor)} of floor"
            for page in ("home", "keyword", "key figures", "home (English)")
        ]
        lines.append(f"- c={c}, uncached (≥ 4× baseline, ≥ 0.25× floor): " + "; ".join(parts))
        at_scale = {page: rps.get((page, "uncached", c)) for page, _ in SCALED_PAGES}
        at_demo = {page: rps.get((f"{page} (1×)", "uncached", c)) for page, _ in SCALED_PAGES}
        parts = [f"{page} {ratio(at_scale[page], at_demo[page])}" for page in at_scale]
        lines.append(f"- c={c}, 100× data vs 1× (≥ 0.8×): " + "; ".join(parts))
        parts = [
            f"{page} {ratio(rps.get((page, 'cached', c)), rps.get((page, 'no recycling', c)))}"
            for page, _ in RECYCLED_PAGES
        ]
        lines.append(f"- c={c}, cached with recycling vs without (≥ 0.95×): " + "; ".join(parts))
        micro = rps.get(("home", "micro-cache", c))
        lines.append(f"- c={c}, nginx micro-cache vs static file: {ratio(micro, static)}")
        unique = ratio(before.get(("search", "unique q", c)))
        lines.append(f"- c={c}, search with a unique query (≥ 3× baseline): {unique} of baseline")
        bare_rps = {page: rps.get((BARE_LABEL, f"bare ({page})", c)) for page, _ in BARE_COMPARED}
        parts = [
            f"{page} {mode} {ratio(rps.get((page, mode, c)), bare_rps[page])}"
            for page, _ in BARE_COMPARED
            for mode in ("cached", "cached (Redis)")
        ]
        lines.append(f"- c={c}, cached page vs bare Django view (≥ 0.8×): " + "; ".join(parts))
        pair = ratio(
            rps.get(("search", "unique 2-char q", c)),
            rps.get(("search (1×)", "unique 2-char q", c)),
        )
        lines.append(f"- c={c}, unique two-character search, 100× vs 1× (≥ 0.8×): {pair}")
        parts = [
            f"{page} {ratio(rps.get((page, 'logged in', c)), rps.get((f'{page} (1×)', 'logged in', c)))}"  # noqa: E501
            for page in ("admin keyword list", "admin keyword form")
        ]
        lines.append(
            f"- c={c}, admin at 100× vs 1× (≥ 0.67×, i.e. within 1.5×): " + "; ".join(parts)
        )
        form = ratio(before.get(("admin keyword form", "logged in", c)))
        lines.append(f"- c={c}, admin keyword form (≥ 1.5× baseline): {form} of baseline")
    return lines


def report(results: list[Result]) -> str:
    limit = {r.connections: r.rps for r in results if r.mode == "static"}
    before = against_baseline(results)
    lines = [
        "# Benchmark results",
        "",
        f"- When: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {os.cpu_count()} cores; "
        f"{DURATION} s per run with wrk (2 threads) on 127.0.0.1.",
        f"- Database: {environment()['DATABASE_URL'].split(':')[0]}; data: the 2023 demo plus "
        "`seed_scale` (20 years × 30 keywords × 20 initiatives, figures and awards, with 52 news "
        "stories a year and a place per keyword), except rows marked *1×*: the 2023 demo alone, "
        "on SQLite.",
        "- Baselines: *static* is nginx serving the home page's HTML from a file (the physical "
        "limit); *floor* is a minimal Django view returning that HTML from memory through the "
        "same gunicorn and middleware (the framework floor); *vs baseline* is the row's share "
        "of this run's floor over the same row's share of the floor in bench/baseline.md, so "
        "that a slower or busier machine does not pass for slower code; *bare* is the floor's "
        "view with no middleware at all (the least a Django response costs), measured in turns "
        "with the cached page it is compared with.",
        "- Modes: *cached* and *uncached* are the page cache on and off (uncached, every page is "
        "built from nothing, as for the first request after a save); *no recycling* is the "
        "cached site with gunicorn's max_requests off; *micro-cache* is deploy/nginx.conf's "
        "5-second cache in front of the cached site; *unique q* asks a search no one asked "
        "before on every request, and is judged by the framework floor measured in turns with "
        "it; *cached (Redis)* is the cached site with Redis as its cache (keys of its own, "
        "removed afterwards); *unique 2-char q* asks a two-character Chinese term no one asked "
        "before; *logged in* is the admin with a Publisher's session, judged by the framework "
        "floor measured in turns with it. "
        "Rows compared with each other (recycling or not, 100× or 1× data) are measured in "
        "turns, three rounds, and reported by their median run.",
        "",
        "| page | mode | connections | requests/s | p50 ms | p99 ms | errors "
        "| vs static | vs floor | vs baseline |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        vs_limit = f"{r.rps / limit[r.connections]:.0%}" if limit.get(r.connections) else "–"
        own_floor = floor_of(r, results)
        vs_floor = f"{r.rps / own_floor:.0%}" if own_floor else "–"
        vs_before = ratio(before.get((r.page, r.mode, r.connections)))
        lines.append(
            f"| {r.page} | {r.mode} | {r.connections} | {r.rps:,.0f} | {r.p50_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.errors} | {vs_limit} | {vs_floor} | {vs_before} |"
        )
    return "\n".join(lines + targets(results)) + "\n"


def measure_admin(session: str, demo_session: str, floor: str) -> list[Result]:
    """The keyword list and a keyword's change form, logged in, at 100× data and at 1×, in
    turns with each other and with the framework floor (the form's baseline was measured so)."""
    scale, demo = f"http://127.0.0.1:{UNCACHED_PORT}", f"http://127.0.0.1:{DEMO_PORT}"
    results = []
    for label, path in (
        ("admin keyword list", "/admin/highlights/keyword/"),
        ("admin keyword form", "/admin/highlights/keyword/1/change/"),
    ):
        setups = {
            (label, "logged in"): Setup(
                f"{scale}{path}", headers={"Cookie": f"sessionid={session}"}
            ),
            (f"{label} (1×)", "logged in"): Setup(
                f"{demo}{path}", headers={"Cookie": f"sessionid={demo_session}"}
            ),
        }
        results += beside_the_floor(setups, floor)
    return results


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def remove_redis_keys() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{REDIS_PREFIX}:*"))
    if keys:
        client.delete(*keys)


def main() -> None:
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed: apt-get install wrk nginx-light")
    env, demo_env = environment(), environment("demo")
    print("Preparing the benchmark sites in bench/work/ …")
    session = prepare(env)
    demo_session = prepare(demo_env, scale=False)
    with_redis = redis_reachable()
    if not with_redis:
        print(f"Redis is not reachable at {REDIS_URL}: the Redis rows are left out.")
    servers = [
        start_gunicorn(env, CACHED_PORT, cache=True),
        start_gunicorn(env, UNCACHED_PORT, cache=False),
        start_gunicorn(env, STEADY_PORT, cache=True, recycle=False),
        start_gunicorn(demo_env, DEMO_PORT, cache=False),
        start_gunicorn(env, BARE_PORT, cache=False, DJANGO_SETTINGS_MODULE="bench.bare_settings"),
    ]
    if with_redis:
        servers.append(
            start_gunicorn(
                env,
                REDIS_CACHED_PORT,
                cache=True,
                REDIS_URL=REDIS_URL,
                CACHE_KEY_PREFIX=REDIS_PREFIX,
            )
        )
    try:
        html = wait_for(f"http://127.0.0.1:{CACHED_PORT}/")
        # Every worker of every site up before the first measurement, so that none of them is
        # still importing while another is measured. The floor reads this file on first use.
        for port in (UNCACHED_PORT, STEADY_PORT, DEMO_PORT, *[REDIS_CACHED_PORT] * with_redis):
            wait_for(f"http://127.0.0.1:{port}/")
        (WORK / "html").mkdir(exist_ok=True)
        (WORK / "html" / "index.html").write_bytes(html)
        wait_for(f"http://127.0.0.1:{BARE_PORT}/__floor__/")
        time.sleep(5)
        servers.append(start_nginx())
        results = measure("home (static file)", "static", f"http://127.0.0.1:{NGINX_PORT}/")
        floor = f"http://127.0.0.1:{UNCACHED_PORT}/__floor__/"
        results += measure(FLOOR_LABEL, "floor", floor)
        results += measure("home", "micro-cache", f"http://127.0.0.1:{MICRO_CACHE_PORT}/")
        bare = f"http://127.0.0.1:{BARE_PORT}/__floor__/"
        for label, path in BARE_COMPARED:
            setups = {
                (label, "cached"): Setup(f"http://127.0.0.1:{CACHED_PORT}{path}"),
                (BARE_LABEL, f"bare ({label})"): Setup(bare),
            }
            if with_redis:
                redis_page = f"http://127.0.0.1:{REDIS_CACHED_PORT}{path}"
                setups[label, "cached (Redis)"] = Setup(redis_page)
            results += measure_alternately(setups)
        for label, path in PAGES:
            cached = f"http://127.0.0.1:{CACHED_PORT}{path}"
            if (label, path) in BARE_COMPARED:
                pass  # measured in turns with the bare view above
            elif (label, path) in RECYCLED_PAGES:
                steady = f"http://127.0.0.1:{STEADY_PORT}{path}"
                setups = {
                    (label, "cached"): Setup(cached),
                    (label, "no recycling"): Setup(steady),
                }
                results += measure_alternately(setups)
            else:
                results += measure(label, "cached", cached)
            uncached = f"http://127.0.0.1:{UNCACHED_PORT}{path}"
            if (label, path) in SCALED_PAGES:
                at_demo = f"http://127.0.0.1:{DEMO_PORT}{path}"
                setups = {
                    (label, "uncached"): Setup(uncached),
                    (f"{label} (1×)", "uncached"): Setup(at_demo),
                }
                results += measure_alternately(setups)
            else:
                results += measure(label, "uncached", uncached)
        unique = f"http://127.0.0.1:{CACHED_PORT}/search/"
        results += beside_the_floor({("search", "unique q"): Setup(unique, UNIQUE_SEARCH)}, floor)
        results += measure_alternately(
            {
                ("search", "unique 2-char q"): Setup(
                    f"http://127.0.0.1:{UNCACHED_PORT}/search/", UNIQUE_PAIR_SEARCH
                ),
                ("search (1×)", "unique 2-char q"): Setup(
                    f"http://127.0.0.1:{DEMO_PORT}/search/", UNIQUE_PAIR_SEARCH
                ),
            }
        )
        results += measure_admin(session, demo_session, floor)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        if with_redis:
            remove_redis_keys()
    text = report(results)
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    print("\n" + text)


if __name__ == "__main__":
    main()
