"""The benchmark reads wrk's report correctly."""

import importlib.util
from pathlib import Path

from django.conf import settings

spec = importlib.util.spec_from_file_location(
    "bench_run", Path(settings.BASE_DIR) / "bench" / "run.py"
)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

WRK_OUTPUT = """Running 6s test @ http://127.0.0.1:8301/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.25ms   20.87ms   1.02s    78.50%
    Req/Sec     1.27k   285.98     1.34k    92.31%
  Latency Distribution
     50%    8.21ms
     75%   10.30ms
     90%   15.62ms
     99%    1.17s
  15546 requests in 6.00s, 310.09MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   2591.18
Transfer/sec:     51.67MB
"""


def test_parse_wrk_reads_throughput_percentiles_and_errors():
    """Requests/s, p50 and p99 come from their own lines; errors add up socket and HTTP ones."""
    assert bench.parse_wrk(WRK_OUTPUT) == (2591.18, 8.21, 1170.0, 7)


def test_latency_units():
    """wrk's microseconds, milliseconds, seconds and minutes all become milliseconds."""
    assert [bench.to_ms(v) for v in ("250.00us", "3.5ms", "1.20s", "1.00m")] == [
        0.25,
        3.5,
        1200.0,
        60000.0,
    ]
