"""Each atheris harness of fuzz/primi_fuzz.py runs for a bounded number of inputs, seeded with
the first bytes of real files from ../shared (read there, never copied into the repository).

Contract: any input gives a result or the module's own refusal, never another exception, never
a hang (libFuzzer's -timeout). A failure prints the crashing input, saved under the test's
temporary folder. The harnesses touch no database, so they run once: on the SQLite pass, not
again under PostgreSQL (DATABASE_URL set). Longer runs by hand: `python fuzz/primi_fuzz.py
TARGET -max_total_time=300 -seeds_from=../shared CORPUS_DIR`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from shared_paths import REPO, SHARED

HARNESS = REPO / "fuzz" / "primi_fuzz.py"
TARGETS = [
    "sdmx_csv", "long_csv", "xlsx", "sdmx_ml", "sdmx_json", "detect", "xml_safety",
    "data_query", "data_v2_query", "structure_query", "negotiation", "api_parameters",
]  # fmt: skip
RUNS = 3000
SECONDS = 2
PARALLEL = 2

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="the harnesses use no database: they run once, on the SQLite pass",
)


def _fuzz(target: str, work: Path) -> tuple[subprocess.CompletedProcess, Path]:
    corpus, artifacts = work / target / "corpus", work / target / "artifacts"
    corpus.mkdir(parents=True)
    artifacts.mkdir()
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environ["PRIMI_HOME"] = str(work / target)
    command = [
        sys.executable, str(HARNESS), target,
        f"-runs={RUNS}", f"-max_total_time={SECONDS}", "-timeout=10", "-rss_limit_mb=3072",
        "-print_final_stats=0", f"-artifact_prefix={artifacts}/", f"-seeds_from={SHARED}",
        str(corpus),
    ]  # fmt: skip
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=environ, cwd=REPO
    )
    return result, artifacts


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """Every harness, two at a time (the start of each process is most of its time)."""
    work = tmp_path_factory.mktemp("fuzz")
    with ThreadPoolExecutor(PARALLEL) as pool:
        futures = {t: pool.submit(_fuzz, t, work) for t in TARGETS}
        return {t: f.result() for t, f in futures.items()}


@pytest.mark.parametrize("target", TARGETS)
def test_harness_keeps_its_contract(runs, target):
    result, artifacts = runs[target]
    found = sorted(artifacts.iterdir())
    if result.returncode != 0 or found:
        inputs = "\n".join(f"{p}: {p.read_bytes()[:2000]!r}" for p in found) or "(none saved)"
        pytest.fail(
            f"fuzz target {target} failed (exit {result.returncode}).\n"
            f"Inputs saved:\n{inputs}\n--- stderr (end) ---\n{result.stderr[-6000:]}"
        )
    assert "Done" in result.stderr, result.stderr[-2000:]
