"""The production settings, plus the benchmark's framework-floor route and its stored page."""

import os

from xinjing.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
BENCH_FLOOR_FILE = os.environ["BENCH_FLOOR_FILE"]
