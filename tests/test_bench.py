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


def test_rows_compare_with_the_baseline_through_their_own_runs_floor():
    """A main-table row is judged against the baseline's floor row; a row measured later
    against the floor of the run that measured it."""
    before = bench.baseline()
    unique_q, unique_q_floor = before["search", "unique q", 8]
    home, home_floor = before["home", "uncached", 8]
    assert home_floor == before[bench.FLOOR_LABEL, "floor", 8][0]
    assert unique_q_floor != home_floor
    results = [
        bench.Result(bench.FLOOR_LABEL, "floor", 8, 2 * home_floor, 0, 0, 0),
        bench.Result("home", "uncached", 8, 2 * home, 0, 0, 0),
        bench.Result("search", "unique q", 8, 6 * unique_q * home_floor / unique_q_floor, 0, 0, 0),
    ]
    multiples = bench.against_baseline(results)
    assert multiples["home", "uncached", 8] == 1.0
    assert round(multiples["search", "unique q", 8], 6) == 3.0


def test_a_row_measured_beside_the_floor_is_judged_by_that_floor():
    """Not by the floor measured at the start of the run, minutes earlier."""
    unique_q, unique_q_floor = bench.baseline()["search", "unique q", 32]
    results = [
        bench.Result(bench.FLOOR_LABEL, "floor", 32, 1000.0, 0, 0, 0),
        bench.Result("search", "unique q", 32, 3 * unique_q, 0, 0, 0, floor=unique_q_floor),
    ]
    assert round(bench.against_baseline(results)["search", "unique q", 32], 6) == 3.0
    share_of_its_floor = f"| {3 * unique_q / unique_q_floor:.0%} |"
    assert share_of_its_floor in bench.report(results)
