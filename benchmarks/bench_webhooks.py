"""Benchmark: what queueing webhooks costs when responses are stored, and what delivering costs.

Run from the project root (never from pytest; it asserts nothing, it prints figures):

    python benchmarks/bench_webhooks.py              # 20,000 responses, 3 runs of each
    python benchmarks/bench_webhooks.py --n 5000     # a quicker run
    python benchmarks/bench_webhooks.py --json       # the figures as JSON

Three databases, each storing the same N responses with ``Engine.submit_many`` (one batch per
500, as the offline import does):

* baseline: no webhooks plugin (the engine as it was before issue 16);
* idle: the webhooks plugin installed, no endpoint configured (what every project now pays);
* queued: one endpoint: each response's outbox row is written in its transaction
  (``response_storing``).

Then ``feedback webhooks deliver``'s work on the queued database: every message signed and
posted to a receiver on 127.0.0.1 that answers 204 at once (a ``http.server`` thread), so the
figure is the plugin's cost per message, not a network's.

Memory: the peak of Python allocations (tracemalloc) while storing, in a run of its own (the
timed runs go without tracemalloc, which slows the allocation-heavy paths most).
"""

from __future__ import annotations

import argparse
import base64
import http.server
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SECRET = "whsec_" + base64.b64encode(b"b" * 32).decode()
SECRET_VARIABLE = "FEEDBACK_WEBHOOKS__ENDPOINTS__BENCH__SECRET"

SURVEY = """\
id: bench
title: Benchmark
languages: [en]
questions:
  - {id: useful, type: yes_no, label: "Was it useful?"}
  - {id: comment, type: text, required: false, label: "Anything else?"}
"""


class Quiet(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def project(workdir: Path, endpoint: str | None) -> Path:
    (workdir / "surveys").mkdir(parents=True)
    (workdir / "surveys" / "bench.yaml").write_text(SURVEY, encoding="utf-8")
    toml = 'default_survey = "bench"\n'
    if endpoint is not None:
        toml += f'[webhooks.endpoints.bench]\nurl = "{endpoint}"\n'
    (workdir / "feedback.toml").write_text(toml, encoding="utf-8")
    return workdir


def engine(workdir: Path, webhooks: bool) -> Any:
    sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]
    import feedback_formats
    import feedback_webhooks
    from feedback.config import load_settings
    from feedback.engine import Engine
    from feedback.plugins import make_plugin_manager

    plugins = [feedback_formats, *([feedback_webhooks] if webhooks else [])]
    pm = make_plugin_manager(entrypoints=False, plugins=plugins)
    return Engine(settings=load_settings(workdir, pm=pm), pm=pm)


def store(opened: Any, n: int) -> float:
    """Store ``n`` responses in batches of 500; the seconds it took."""
    responses = [
        {
            "id": str(uuid.UUID(int=i)),
            "survey": "bench",
            "event": "bench-2026",
            "channel": "import",
            "language": "en",
            "submitted": "2026-01-20",
            "answers": {"useful": i % 3 != 0, "comment": f"comment {i}"},
        }
        for i in range(n)
    ]
    start = time.perf_counter()
    for at in range(0, n, 500):
        result = opened.submit_many((str(i), r) for i, r in enumerate(responses[at : at + 500]))
        assert result.ok, result.rejected[:1]
    return time.perf_counter() - start


def add_event(opened: Any) -> None:
    with opened.store.write():
        opened.store.add_event({"id": "bench-2026", "title": "Bench", "date": "2026-01-20"})


def run(kind: str, n: int, endpoint: str, traced: bool = False) -> tuple[float, int, Any]:
    """Store ``n`` responses in a fresh project of ``kind``: the seconds, the peak of traced
    memory (when ``traced``: tracemalloc slows allocation-heavy code, so timed runs go without
    it), and the engine."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-webhooks-{kind}-"))
    if kind == "queued":  # the endpoint's secret: from the environment only
        os.environ[SECRET_VARIABLE] = SECRET
    else:
        os.environ.pop(SECRET_VARIABLE, None)
    opened = engine(project(workdir, endpoint if kind == "queued" else None), kind != "baseline")
    add_event(opened)
    if traced:
        tracemalloc.start()
    seconds = store(opened, n)
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    if traced:
        tracemalloc.stop()
    return seconds, peak, opened


def deliver(opened: Any) -> tuple[float, int]:
    """What ``feedback webhooks deliver`` does: every due message signed and posted."""
    from feedback.clock import moment
    from feedback_webhooks.delivery import Deliverer
    from feedback_webhooks.outbox import Outbox
    from feedback_webhooks.settings import WebhookSettings

    outbox = Outbox(opened.store, opened.settings.plugin(WebhookSettings), moment)
    start = time.perf_counter()
    with Deliverer(outbox) as deliverer:
        report = deliverer.run()
    assert not report.failed and not report.retrying, (report.failed, report.retrying)
    return time.perf_counter() - start, len(report.delivered)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/hook"
    figures: dict[str, Any] = {"n": args.n}
    last: dict[str, Any] = {}
    for kind in ("baseline", "idle", "queued"):
        runs = [run(kind, args.n, endpoint) for _ in range(args.repeat)]
        figures[kind] = statistics.median(r[0] for r in runs)
        figures[f"{kind}_peak_mib"] = round(run(kind, args.n, endpoint, traced=True)[1] / 2**20, 1)
        last[kind] = runs[-1][2]
    figures["idle_ratio"] = round(figures["idle"] / figures["baseline"], 2)
    figures["queued_ratio"] = round(figures["queued"] / figures["baseline"], 2)
    seconds, sent = deliver(last["queued"])
    figures["deliver_seconds"] = round(seconds, 2)
    figures["delivered"] = sent
    figures["delivered_per_second"] = round(sent / seconds) if seconds else None
    server.shutdown()
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.n:,} responses stored in batches of 500 (median of {args.repeat}):")
    for kind in ("baseline", "idle", "queued"):
        ratio = "" if kind == "baseline" else f"  {figures[f'{kind}_ratio']}x the baseline"
        print(f"  {kind:9} {figures[kind]:.2f} s{ratio}  (peak {figures[f'{kind}_peak_mib']} MiB)")
    print(f"deliver: {sent:,} messages signed and posted in {seconds:.2f} s")


if __name__ == "__main__":
    main()
