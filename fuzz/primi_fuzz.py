"""Atheris harnesses for every reader of uploaded files and every parser of SDMX/API queries.

Usage: `python fuzz/primi_fuzz.py TARGET [libFuzzer options] [corpus dirs]`; `--list` names the
targets; `-seeds_from=SHARED` first writes a seed corpus into the first corpus directory from
the shared folder (`--seeds TARGET DIR SHARED` only writes it).

The contract each harness checks: any input gives a result or the module's own refusal
(ReadError for files, SdmxError for SDMX queries, a validation error for the JSON API's
parameters), never another exception; a hang is caught by libFuzzer's `-timeout`.

The process runs Django's settings on an in-memory SQLite database holding only the table the
query parsers read (stored artefact versions), so a harness never touches a real database.
tests/hostile/test_fuzz_harnesses.py runs each target for a bounded number of runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

os.environ.setdefault("SECRET_KEY", "fuzz-only-secret-key")
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("PRIMI_HOME", tempfile.mkdtemp(prefix="primi-fuzz-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "primi.settings"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.LOGGING_CONFIG = None  # the harness prints libFuzzer's lines only
django.setup()

# Coverage guidance for the code under test only: instrumenting the rest slows the start.
INSTRUMENTED = ["primi.ingest", "primi.sdmx", "primi.api.parameters", "primi.store.keys"]
with atheris.instrument_imports(include=INSTRUMENTED):
    from django.test import RequestFactory
    from pydantic import ValidationError

    from primi.api.observations import ObservationQuery
    from primi.api.parameters import as_period, instant, key_pattern
    from primi.ingest.detect import detect_format
    from primi.ingest.errors import ReadError
    from primi.ingest.long_csv import read_long_csv
    from primi.ingest.read import read_any
    from primi.ingest.sdmx_csv import read_sdmx_csv
    from primi.ingest.sdmx_json import read_sdmx_json
    from primi.ingest.sdmx_ml import read_sdmx_ml
    from primi.ingest.xlsx import read_xlsx
    from primi.ingest.xml_safety import iterparse_safely
    from primi.sdmx import negotiation
    from primi.sdmx.data_query import parse_data_query
    from primi.sdmx.data_v2_query import parse_data_query_v2
    from primi.sdmx.errors import SdmxError
    from primi.sdmx.structure_query import parse_v1, parse_v2

WORK = Path(tempfile.mkdtemp(prefix="primi-fuzz-files-"))
MAX_BYTES = 1 << 20
DEFAULTS = {"REF_AREA": "GTM", "INDICATOR": "ENTRY", "FREQ": "M"}
PARAMETER_NAMES = [
    "startPeriod", "endPeriod", "updatedAfter", "firstNObservations", "lastNObservations",
    "includeHistory", "dimensionAtObservation", "detail", "asOf", "attributes", "measures",
    "c[TIME_PERIOD]", "c[REF_AREA]", "c[SEX]", "c[OBS_VALUE]", "c[X]", "references", "offset",
    "format", "lang",
]  # fmt: skip
STRUCTURE_TYPES = ["dataflow", "datastructure", "codelist", "conceptscheme", "agencyscheme", "*"]
API_FIELDS = [
    "key", "start_period", "end_period", "as_of", "offset", "limit", "cursor", "lang",
    "dataflow", "ref_area", "indicator", "counterpart_area", "sex", "age", "pop_group", "freq",
]  # fmt: skip


def _file(data: bytes, suffix: str) -> Path:
    path = WORK / f"input{suffix}"
    path.write_bytes(data)
    return path


def _reading(read: Callable[[Path], object], suffix: str) -> Callable[[bytes], None]:
    """A file reader's harness: the bytes as a file named with `suffix`."""

    def run(data: bytes) -> None:
        with contextlib.suppress(ReadError):
            read(_file(data, suffix))

    return run


def _detect(data: bytes) -> None:
    """Format detection and the reader it picks, under a name chosen by the first byte."""
    fdp = atheris.FuzzedDataProvider(data)
    suffix = fdp.PickValueInList([".csv", ".txt", ".tsv", ".xlsx", ".xml", ".json", ".dat", ""])
    path = _file(fdp.ConsumeBytes(fdp.remaining_bytes()), suffix)
    try:
        detect_format(path, MAX_BYTES)
        read_any(path, max_bytes=MAX_BYTES, defaults=DEFAULTS)
    except ReadError:
        pass


def _xml(data: bytes) -> None:
    try:
        for _ in iterparse_safely(_file(data, ".xml")):
            pass
    except ReadError:
        pass


def _text(fdp: atheris.FuzzedDataProvider, most: int = 64) -> str:
    return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, most))


def _params(fdp: atheris.FuzzedDataProvider) -> dict[str, str]:
    return {
        fdp.PickValueInList(PARAMETER_NAMES): _text(fdp) for _ in range(fdp.ConsumeIntInRange(0, 5))
    }


def _sdmx(parse: Callable[[atheris.FuzzedDataProvider], object]) -> Callable[[bytes], None]:
    def run(data: bytes) -> None:
        try:
            parse(atheris.FuzzedDataProvider(data))
        except SdmxError as exc:
            if exc.status not in (400, 404, 406, 413, 501):
                raise
            exc.as_xml()

    return run


def _data_query(fdp: atheris.FuzzedDataProvider) -> object:
    flow, key, provider = _text(fdp), _text(fdp, 400), fdp.PickValueInList([None, "all", "GTM_IGM"])
    return parse_data_query(flow or "DF_FLOWS", key or None, provider or _text(fdp), _params(fdp))


def _data_v2_query(fdp: atheris.FuzzedDataProvider) -> object:
    context = fdp.PickValueInList(["dataflow", "*", "datastructure", _text(fdp, 8)])
    agency = fdp.PickValueInList(["PRIMI", "*", _text(fdp, 8)])
    flow = fdp.PickValueInList(["DF_FLOWS", _text(fdp, 16)])
    version = fdp.PickValueInList(["+", "~", "1.0", "latest", _text(fdp, 8)])
    return parse_data_query_v2(
        context, agency, flow, version, _text(fdp, 400) or None, _params(fdp)
    )


def _structure_query(fdp: atheris.FuzzedDataProvider) -> object:
    if fdp.ConsumeBool():
        return parse_v1(fdp.PickValueInList(STRUCTURE_TYPES), _text(fdp, 128), _params(fdp))
    return parse_v2(_text(fdp, 128), _params(fdp))


_FACTORY = RequestFactory()
_OFFER_SETS = [
    negotiation.DATA_OFFERS,
    negotiation.DATA_OFFERS_V2,
    negotiation.STRUCTURE_OFFERS,
    negotiation.STRUCTURE_OFFERS_V2,
]


def _negotiation(fdp: atheris.FuzzedDataProvider) -> object:
    offers = fdp.PickValueInList(_OFFER_SETS)
    query = {"format": _text(fdp)} if fdp.ConsumeBool() else {}
    request = _FACTORY.get(
        "/rest/data/DF_FLOWS",
        query,
        HTTP_ACCEPT=_text(fdp, 256),
        HTTP_ACCEPT_LANGUAGE=_text(fdp, 64),
    )
    negotiation.preferred_language(request)
    return negotiation.choose_format(request, offers)


def _api_parameters(data: bytes) -> None:
    """The JSON API's query: ninja's validation refuses, or every helper answers."""
    fdp = atheris.FuzzedDataProvider(data)
    raw = {
        fdp.PickValueInList(API_FIELDS): _text(fdp, 128) for _ in range(fdp.ConsumeIntInRange(0, 6))
    }
    try:
        query = ObservationQuery.model_validate(raw)
    except ValidationError:
        return
    key_pattern(query.key, query.codes())
    as_period(query.start_period)
    as_period(query.end_period)
    instant(query.as_of)
    query.dataflows()


TARGETS: dict[str, Callable[[bytes], None]] = {
    "sdmx_csv": _reading(read_sdmx_csv, ".csv"),
    "long_csv": _reading(lambda p: read_long_csv(p, defaults=DEFAULTS), ".csv"),
    "xlsx": _reading(lambda p: read_xlsx(p, country="GTM", indicator="ENTRY", freq="M"), ".xlsx"),
    "sdmx_ml": _reading(read_sdmx_ml, ".xml"),
    "sdmx_json": _reading(read_sdmx_json, ".json"),
    "detect": _detect,
    "xml_safety": _xml,
    "data_query": _sdmx(_data_query),
    "data_v2_query": _sdmx(_data_v2_query),
    "structure_query": _sdmx(_structure_query),
    "negotiation": _sdmx(_negotiation),
    "api_parameters": _api_parameters,
}


def _artefact_table() -> None:
    """The one table the SDMX query parsers read: stored versions of the standard's artefacts."""
    from django.db import connection

    from primi.standard.models import Artefact

    with connection.schema_editor() as editor:
        editor.create_model(Artefact)


SEED_BYTES = 4096
FILE_SEEDS = {
    "sdmx_csv": [
        "sdmx-samples/samples_data_v1.csv",
        "sdmx-samples/csv_sdmx20_reader_samples_data_v2.csv",
    ],
    "long_csv": [
        "data/real/irreg_honduras.csv",
        "data/real/irreg_darien_dmg.csv",
        "data/real/regin.csv",
        "data/real/countrynames.csv",
    ],
    "sdmx_ml": ["sdmx-samples/samples_dataset_with_nulls.xml", "sdmx-samples/samples_data.xml"],
    "sdmx_json": ["sdmx-samples/samples_exr-time-series.json", "sdmx-samples/samples_bis_der.json"],
}
FILE_SEEDS["xml_safety"] = FILE_SEEDS["sdmx_ml"]
FILE_SEEDS["detect"] = [path for paths in FILE_SEEDS.values() for path in paths]


def write_seeds(target: str, into: Path, shared: Path) -> None:
    """The target's seed corpus: the first bytes of real files (read from ../shared, never kept
    in the repository) and, for workbooks, a filled template and a bulletin-style sheet."""
    into.mkdir(parents=True, exist_ok=True)
    for n, relative in enumerate(FILE_SEEDS.get(target, [])):
        with (shared / relative).open("rb") as fh:
            head = fh.read(SEED_BYTES)
        cut = head.rfind(b"\n") + 1 if len(head) == SEED_BYTES else len(head)
        (into / f"seed-{n}").write_bytes(head[: cut or len(head)])
    if target in ("xlsx", "detect"):
        for n, workbook in enumerate(_workbooks()):
            (into / f"book-{n}").write_bytes(workbook)


def _workbooks() -> list[bytes]:
    import io

    import openpyxl

    from primi.ingest.template import write_template

    path = WORK / "template.xlsx"
    write_template("DF_FLOWS", "GTM", "es", path)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[3]]
    row = {"FREQ": "M", "INDICATOR": "ENTRY", "COUNTERPART_AREA": "MEX", "SEX": "_T", "AGE": "_T"}
    for month in (1, 2):
        values = row | {"POP_GROUP": "_T", "TIME_PERIOD": f"2024-0{month}", "OBS_VALUE": 10 * month}
        sheet.append([values.get(c) for c in header])
    filled = io.BytesIO()
    book.save(filled)
    wide = openpyxl.Workbook()
    wide.active.append(["País", "2024-01", "2024-02", "2024-03"])
    wide.active.append(["México", 12, 15, 9])
    wide.active.append(["Estados Unidos", 3, 4, 5])
    bulletin = io.BytesIO()
    wide.save(bulletin)
    return [filled.getvalue(), bulletin.getvalue()]


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--seeds":
        write_seeds(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print(f"usage: {sys.argv[0]} TARGET [libFuzzer options]; targets: {', '.join(TARGETS)}")
        sys.exit(0 if "--list" in sys.argv else 2)
    _artefact_table()
    target = TARGETS[sys.argv[1]]
    options = sys.argv[2:]
    shared = [o for o in options if o.startswith("-seeds_from=")]
    corpus = [o for o in options if not o.startswith("-")]
    if shared and corpus:
        write_seeds(sys.argv[1], Path(corpus[0]), Path(shared[0].partition("=")[2]))
    options = [o for o in options if o not in shared]
    atheris.Setup([sys.argv[0], *options], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
