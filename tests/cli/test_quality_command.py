"""`primi quality`: keep a reference file, run level 4, list the findings as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from primi.cli import main
from primi.quality.models import ReferenceLoad

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "quality"))
from mirror_data import load_mirrors, mirror_values  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)

INJECTED = {("HND", "2024-05"): 1.4, ("SLV", "2023-12"): 0.2}


@pytest.fixture(autouse=True)
def primi_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIMI_HOME", str(tmp_path / "home"))


def test_run_then_findings_as_json(tmp_path, capsys):
    load_mirrors(tmp_path, INJECTED)
    assert main(["--lang", "en", "quality", "run", "--rule", "L4_MIRROR_RETURNS"]) == 0
    out = capsys.readouterr().out
    assert "2 discrepancies, 2 findings opened or updated" in out
    assert main(["quality", "findings", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert len(findings) == 2
    values = mirror_values()
    got = {}
    for finding in findings:
        assert finding["rule"] == "L4_MIRROR_RETURNS" and finding["state"] == "open"
        (gap,) = finding["discrepancies"]
        country = gap["b"]["key"].split(".")[1]
        assert sorted(finding["countries"]) == sorted([country, "MEX"])
        assert {k["key"] for k in finding["keys"]} == {gap["a"]["key"], gap["b"]["key"]}
        got[(country, gap["a"]["period"])] = (
            gap["a"]["value"],
            gap["b"]["value"],
            gap["relative_difference"],
        )
        assert gap["a"]["source"] == gap["b"]["source"] == "official"
        assert gap["a"]["revision"] and gap["b"]["revision"]
    want = {}
    for (country, month), factor in INJECTED.items():
        a = values[(country, month)]
        b = float(round(a * factor))
        want[(country, month)] = (a, b, round(abs(a - b) / max(a, b), 6))
    assert got == want


def test_reference_file_kept_and_bad_ones_refused(real_data, tmp_path, capsys):
    src = (real_data / "wdi.csv").read_text().splitlines()
    cut = tmp_path / "wdi_remittances.csv"
    cut.write_text("\n".join([src[0], *(line for line in src[1:] if ",rem" in line)]))
    assert main(["--lang", "es", "quality", "reference", "WB", str(cut)]) == 0
    assert "cifras de referencia guardadas (WB" in capsys.readouterr().out
    assert main(["--lang", "en", "quality", "reference", "UNHCR", str(cut)]) == 1
    assert "lacks the columns" in capsys.readouterr().err
    assert main(["--lang", "en", "quality", "reference", "IMF", str(cut)]) == 1
    assert "not a reference source" in capsys.readouterr().err
    assert main(["--lang", "en", "quality", "reference", "WB", str(tmp_path / "nope.csv")]) == 2
    assert ReferenceLoad.objects.count() == 1


def test_unknown_rule_is_a_usage_error(capsys):
    assert main(["quality", "run", "--rule", "L4_NOPE"]) == 2
    assert "L4_NOPE" in capsys.readouterr().err


def test_report_written_as_pdf(tmp_path, capsys):
    from pypdf import PdfReader

    load_mirrors(tmp_path, INJECTED)
    assert main(["quality", "run"]) == 0
    out = tmp_path / "hnd.pdf"
    argv = ["--lang", "en", "quality", "report", "hnd", str(out), "--year", "2024", "--lang", "fr"]
    assert main(argv) == 0
    assert "Report of HND (2024) written to" in capsys.readouterr().out
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Honduras" in text and "2024" in text
    assert main(["--lang", "en", "quality", "report", "ZZZ", str(tmp_path / "z.pdf")]) == 2
    assert "no calendar nor published figures" in capsys.readouterr().err
    assert not (tmp_path / "z.pdf").exists()
