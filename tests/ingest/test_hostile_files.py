"""Hostile and broken files through the whole pipeline (`submit_file`): whatever arrives, the
submitter gets a result or a refusal in Spanish and English, never a traceback, and a file with
errors changes nothing in the store.

Valid files of every format are generated (hypothesis), then broken: truncated, bytes flipped or
inserted, re-encoded, codes replaced by garbage, rows duplicated, huge or non-finite numbers,
formulas and stray unicode in cells and fields, the header emptied, columns added. Limits,
zip bombs, entity expansion and files pretending to be another type are refused end to end.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import quoteattr

import openpyxl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from store.conftest import store_fingerprint

from primi.ingest.sdmx_csv import read_sdmx_csv
from primi.ingest.template import FIRST_DATA_ROW, HEADER_ROW, write_template
from primi.sdmx.export import export_flow
from primi.sdmx.sdmx_csv import write_sdmx_csv
from primi.standard import frame
from primi.store.queries import draft_values
from primi.workflow.submission_file import SubmissionError, SubmissionResult, submit_file

# An exception printed and swallowed inside a library (pyarrow's invalid-row handler did so with
# cp1252 bytes) fails the test instead of passing as a warning.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
]

PROVIDER = "HOSTILE-TEST"
EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SENTINEL = 1_000_000_000  # row i's value is written as SENTINEL + i, then replaced as text

Row = dict[str, str]

# ---------------------------------------------------------------------------------------------
# Valid rows and the files that carry them
# ---------------------------------------------------------------------------------------------

MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
row_strategy = st.fixed_dictionaries(
    {
        "COUNTERPART_AREA": st.sampled_from(["MEX", "USA", "HND", "SLV", "NIC"]),
        "SEX": st.sampled_from(["_T", "F", "M"]),
        "TIME_PERIOD": st.sampled_from(MONTHS),
        "OBS_VALUE": st.integers(0, 10**6).map(str),
        "COMMENT_OBS": st.sampled_from(["", "cifra preliminar", "nota"]),
    }
)
rows_strategy = st.lists(
    row_strategy,
    min_size=1,
    max_size=6,
    unique_by=lambda r: (r["COUNTERPART_AREA"], r["TIME_PERIOD"]),  # no parts and totals
).map(lambda rows: [{**FIXED, **r} for r in rows])
FIXED = {
    "FREQ": "M",
    "REF_AREA": "GTM",
    "INDICATOR": "ENTRY",
    "AGE": "_T",
    "POP_GROUP": "_T",
    "UNIT_MEASURE": "EV",
    "COUNTING_BASIS": "EVENTS",
}
VALID_ROWS = [
    {**FIXED, "COUNTERPART_AREA": "MEX", "SEX": "_T", "TIME_PERIOD": "2024-01"}
    | {"OBS_VALUE": "10", "COMMENT_OBS": ""},
    {**FIXED, "COUNTERPART_AREA": "USA", "SEX": "F", "TIME_PERIOD": "2024-02"}
    | {"OBS_VALUE": "1250", "COMMENT_OBS": "cifra preliminar"},
]


def with_values(data: bytes, rows: list[Row]) -> bytes:
    """Put each row's value text where its sentinel number was written."""
    for i, row in enumerate(rows):
        data = data.replace(str(SENTINEL + i).encode(), row["OBS_VALUE"].encode("utf-8", "replace"))
    return data


def sdmx_csv_bytes(rows: list[Row], version: str) -> bytes:
    names = [*frame.DIMENSIONS, "TIME_PERIOD", "UNIT_MEASURE", "COUNTING_BASIS", "COMMENT_OBS"]
    columns = {n: pa.array([r[n] or None for r in rows], pa.string()) for n in names}
    columns["OBS_VALUE"] = pa.array([float(SENTINEL + i) for i in range(len(rows))])
    columns["SOURCE_ROW"] = pa.array(range(2, len(rows) + 2), pa.int64())
    out = io.BytesIO()
    write_sdmx_csv(frame.conform(pa.table(columns)), out, dataflow="DF_FLOWS", sdmx_csv=version)
    return with_values(out.getvalue(), rows)


LONG_COLUMNS = [
    "REF_AREA",
    "INDICATOR",
    "COUNTERPART_AREA",
    "SEX",
    "TIME_PERIOD",
    "OBS_VALUE",
    "COMMENT_OBS",
]


def long_csv_bytes(rows: list[Row], encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(LONG_COLUMNS)
    for i, row in enumerate(rows):
        writer.writerow([str(SENTINEL + i) if c == "OBS_VALUE" else row[c] for c in LONG_COLUMNS])
    return with_values(out.getvalue().encode(encoding, "replace"), rows)


MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
SERIES_DIMS = [*frame.DIMENSIONS, "UNIT_MEASURE", "COUNTING_BASIS"]


def sdmx_ml_bytes(rows: list[Row]) -> bytes:
    """A structure-specific SDMX-ML 2.1 message, one Series element per row."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<mes:StructureSpecificData xmlns:mes="{MES}" xmlns:com="{COM}" xmlns:ss="{SS}">',
        "<mes:Header><mes:ID>H1</mes:ID><mes:Test>true</mes:Test>"
        '<mes:Prepared>2024-05-01T00:00:00</mes:Prepared><mes:Sender id="GTM"/>'
        '<mes:Structure structureID="FLOWS" dimensionAtObservation="TIME_PERIOD">'
        '<com:StructureUsage><Ref agencyID="PRIMI" id="DF_FLOWS" version="1.0"/>'
        "</com:StructureUsage></mes:Structure></mes:Header>",
        '<mes:DataSet ss:structureRef="FLOWS">',
    ]
    for i, row in enumerate(rows):
        attrs = " ".join(f"{d}={quoteattr(row[d])}" for d in SERIES_DIMS)
        comment = f" COMMENT_OBS={quoteattr(row['COMMENT_OBS'])}" if row["COMMENT_OBS"] else ""
        lines += [
            f"<Series {attrs}>",
            f'<Obs TIME_PERIOD="{row["TIME_PERIOD"]}" OBS_VALUE="{SENTINEL + i}"{comment}/>',
            "</Series>",
        ]
    lines += ["</mes:DataSet>", "</mes:StructureSpecificData>", ""]
    return with_values("\n".join(lines).encode("utf-8"), rows)


def sdmx_json_bytes(rows: list[Row]) -> bytes:
    """An SDMX-JSON 1.0 message with one series per row."""

    def values(dim: str) -> list[str]:
        return list(dict.fromkeys(r[dim] for r in rows))

    def index(dim: str, row: Row) -> int:
        return values(dim).index(row[dim])

    comments = values("COMMENT_OBS")
    series = {}
    for i, row in enumerate(rows):
        key = ":".join(str(index(d, row)) for d in frame.DIMENSIONS)
        obs = [SENTINEL + i, comments.index(row["COMMENT_OBS"]) if row["COMMENT_OBS"] else None]
        one = series.setdefault(
            key,
            {
                "attributes": [index("UNIT_MEASURE", row), index("COUNTING_BASIS", row)],
                "observations": {},
            },
        )
        one["observations"][str(index("TIME_PERIOD", row))] = obs
    doc = {
        "header": {"id": "H1", "prepared": "2024-05-01T00:00:00Z"},
        "dataSets": [{"action": "Information", "series": series}],
        "structure": {
            "links": [
                {
                    "urn": "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=PRIMI:DF_FLOWS(1.0)",
                    "rel": "dataflow",
                }
            ],
            "dimensions": {
                "series": [
                    {"id": d, "values": [{"id": v} for v in values(d)]} for d in frame.DIMENSIONS
                ],
                "observation": [
                    {"id": "TIME_PERIOD", "values": [{"id": v} for v in values("TIME_PERIOD")]}
                ],
            },
            "attributes": {
                "series": [
                    {"id": a, "values": [{"id": v} for v in values(a)]}
                    for a in ("UNIT_MEASURE", "COUNTING_BASIS")
                ],
                "observation": [{"id": "COMMENT_OBS", "values": [{"value": c} for c in comments]}],
            },
        },
    }
    return with_values(json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8"), rows)


@pytest.fixture(scope="module")
def template_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("template") / "flows.xlsx"
    return write_template("DF_FLOWS", "GTM", "es", path).read_bytes()


TEMPLATE_COLUMNS = ["FREQ", "INDICATOR", "COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP"]
TEMPLATE_COLUMNS += ["TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "COMMENT_OBS"]


def fill_template(template: bytes, rows: list[dict[str, object]]) -> openpyxl.Workbook:
    """The template with one row per entry from its first data row; codes typed, not picked."""
    wb = openpyxl.load_workbook(io.BytesIO(template))
    data = wb.worksheets[1]
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        for c, column in enumerate(TEMPLATE_COLUMNS, start=1):
            value = row.get(column)
            if isinstance(value, str):  # openpyxl refuses control characters; bytes damage has them
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if column == "OBS_VALUE" and isinstance(value, str) and value.isdigit():
                value = int(value)
            data.cell(row=r, column=c, value=value if value != "" else None)
    return wb


def workbook_bytes(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# What may be done to a file
# ---------------------------------------------------------------------------------------------

HUGE = [
    "1e308",
    "1e400",
    "-1e400",
    "1.7976931348623157e309",
    "99999999999999999999",
    "99999999999999999999999999999999999999999",
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "-5",
    "-0",
    "1e-400",
    "0x1F",
    "1_000",
    "١٢٣",
    "",
    " ",
]
FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://192.0.2.1/x","clic")',
    "@SUM(A1)",
    "+1+1",
    "-2+3",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
]
UNICODE = ["\u202e", "\u200f", "\x00", "😀", "\ufeff", "\u0301", "a\r\nb", '"', "'", "<&>"]
wild_text = st.one_of(
    st.sampled_from(FORMULAS + UNICODE),
    st.text(min_size=0, max_size=12),
    st.lists(st.sampled_from(UNICODE + list("AZ_09,;")), max_size=6).map("".join),
)
CODE_COLUMNS = ["FREQ", "REF_AREA", "INDICATOR", "COUNTERPART_AREA", "SEX", "TIME_PERIOD"]


@st.composite
def broken_rows(draw: st.DrawFn) -> list[Row]:
    """Valid rows, then one or more rows spoiled: garbage codes, wild values and comments,
    duplicated keys."""
    rows = draw(rows_strategy)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(rows) - 1))
        what = draw(st.sampled_from(["code", "value", "comment", "duplicate"]))
        if what == "code":
            garbage = draw(wild_text).replace(".", "·")  # a dot: see test_a_code_with_a_dot
            rows[i] = {**rows[i], draw(st.sampled_from(CODE_COLUMNS)): garbage}
        elif what == "value":
            rows[i] = {**rows[i], "OBS_VALUE": draw(st.sampled_from(HUGE + FORMULAS))}
        elif what == "comment":
            rows[i] = {**rows[i], "COMMENT_OBS": draw(wild_text)}
        else:
            rows.append({**rows[i], "OBS_VALUE": draw(st.integers(0, 99).map(str))})
    return rows


ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32", "cp037", "shift_jis"]


@st.composite
def byte_damage(draw: st.DrawFn, data: bytes, text: bool = True) -> bytes:
    """The file's bytes damaged in one of the ways files get damaged on their way."""
    kinds = ["truncate", "flip", "insert", "none"]
    if text:
        kinds += ["reencode", "mojibake", "duplicate line", "drop header", "blank header"]
        kinds += ["extra column", "insert unicode"]
    kind = draw(st.sampled_from(kinds))
    at = draw(st.integers(0, 9999)) * len(data) // 10_000  # relative: zips carry timestamps
    if kind == "truncate":
        return data[:at]
    if kind == "flip":
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    if kind == "none":
        return data
    decoded = data.decode("utf-8", "replace")
    if kind == "reencode":
        return decoded.encode(draw(st.sampled_from(ENCODINGS)), "replace")
    if kind == "mojibake":
        return decoded.encode("utf-8").decode("latin-1").encode("utf-8")
    lines = data.split(b"\n")
    if kind == "duplicate line":
        i = draw(st.integers(0, 99)) * len(lines) // 100
        return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if kind == "drop header":
        return b"\n".join(lines[1:])
    if kind == "blank header":
        return b"\n".join([b"", *lines[1:]])
    if kind == "extra column":
        sep = draw(st.sampled_from([b",", b";", b"\t"]))
        return b"\n".join(
            [lines[0] + sep + b"EXTRA", *(ln + sep + b"x" if ln else ln for ln in lines[1:])]
        )
    char = draw(st.sampled_from([*UNICODE, "\ud800"])).encode("utf-8", "surrogatepass")
    return data[:at] + char + data[at:]


# ---------------------------------------------------------------------------------------------
# What must hold for every file
# ---------------------------------------------------------------------------------------------


def submit_safely(path: Path, **kwargs: object) -> SubmissionResult | SubmissionError:
    """Submit a file; assert the outcome is a result or a refusal in both languages, and that
    the store changed only if the file was loaded."""
    before = store_fingerprint()
    try:
        result = submit_file(path, provider=PROVIDER, override=True, **kwargs)
    except SubmissionError as err:
        assert err.rule and err.message_es.strip() and err.message_en.strip()
        assert "Traceback" not in err.message_en
        json.dumps(err.as_report())
        assert store_fingerprint() == before
        return err
    assert isinstance(result, SubmissionResult)
    for finding in result.findings:
        assert finding.message_es.strip() and finding.message_en.strip(), finding
    for lang in ("es", "en"):
        assert result.summary(lang).strip()
    json.dumps(result.as_report())
    if result.errors or kwargs.get("dry_run"):
        assert not result.loaded
        assert store_fingerprint() == before
    else:
        assert result.loaded  # override=True: no unexplained warnings hold it back
        assert store_fingerprint() != before
    return result


def assert_valid_still_loads(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    outcome = submit_safely(path)
    assert isinstance(outcome, SubmissionResult) and outcome.loaded, outcome
    assert outcome.load.rows == len(VALID_ROWS)


Builder = Callable[[list[Row]], bytes]
TEXT_FORMATS: dict[str, tuple[str, Builder]] = {
    "sdmx-csv-1.0": (".csv", lambda rows: sdmx_csv_bytes(rows, "1.0")),
    "sdmx-csv-2.0": (".csv", lambda rows: sdmx_csv_bytes(rows, "2.0")),
    "long-csv-utf8-comma": (".csv", lambda rows: long_csv_bytes(rows, "utf-8", ",")),
    "long-csv-bom-semicolon": (".csv", lambda rows: long_csv_bytes(rows, "utf-8-sig", ";")),
    "long-csv-cp1252-tab": (".csv", lambda rows: long_csv_bytes(rows, "cp1252", "\t")),
    "sdmx-ml": (".xml", sdmx_ml_bytes),
    "sdmx-json": (".json", sdmx_json_bytes),
}


@pytest.mark.parametrize("fmt", list(TEXT_FORMATS))
def test_valid_generated_files_load(tmp_path, fmt):
    """The generators make files that load: what the broken ones are broken from."""
    suffix, build = TEXT_FORMATS[fmt]

    @settings(EXAMPLES, max_examples=8)
    @given(rows=rows_strategy)
    def check(rows):
        path = tmp_path / f"valid{suffix}"
        path.write_bytes(build(rows))
        outcome = submit_safely(path, dry_run=True)
        assert isinstance(outcome, SubmissionResult) and not outcome.errors, outcome
        assert outcome.rows_read == len(rows)

    check()


@pytest.mark.parametrize("fmt", list(TEXT_FORMATS))
def test_broken_text_files_never_crash_nor_change_the_store(tmp_path, fmt):
    suffix, build = TEXT_FORMATS[fmt]

    @EXAMPLES
    @given(data=st.data())
    def check(data):
        rows = data.draw(st.one_of(rows_strategy, broken_rows()))
        damaged = data.draw(byte_damage(build(rows)))
        path = tmp_path / f"broken{suffix}"
        path.write_bytes(damaged)
        submit_safely(path)

    check()
    assert_valid_still_loads(tmp_path / f"valid{suffix}", build(VALID_ROWS))


def xlsx_cell_value() -> st.SearchStrategy[object]:
    return st.one_of(
        wild_text,
        st.sampled_from([1e308, -1e308, 5e-324, -5, 0, True, False, 10**20]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.datetimes(),
        st.dates(),
    )


@st.composite
def broken_workbook(draw: st.DrawFn, template: bytes) -> bytes:
    rows: list[dict[str, object]] = list(draw(st.one_of(rows_strategy, broken_rows())))
    formulas = draw(st.lists(st.tuples(st.integers(0, 10), st.sampled_from(FORMULAS)), max_size=2))
    # Numbers and dates only in the value and attribute columns: see test_a_code_with_a_dot.
    codes = st.tuples(st.integers(0, 10), wild_text.map(lambda t: t.replace(".", "·")))
    cells = draw(st.lists(st.one_of(codes, st.tuples(st.integers(6, 10), xlsx_cell_value()))))
    wb = fill_template(template, rows)
    data = wb.worksheets[1]
    r = FIRST_DATA_ROW + draw(st.integers(0, len(rows) - 1))
    for column, formula in formulas:
        data.cell(row=r, column=column + 1, value=formula)
    for column, value in cells[:3]:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        data.cell(row=r, column=column + 1, value=value)
    structure = draw(st.sampled_from(["none", "blank header", "extra column", "no data sheet"]))
    if structure == "blank header":
        for c in range(1, len(TEMPLATE_COLUMNS) + 1):
            data.cell(row=HEADER_ROW, column=c, value=None)
    elif structure == "extra column":
        data.cell(row=HEADER_ROW, column=len(TEMPLATE_COLUMNS) + 1, value="EXTRA")
        extra = ILLEGAL_CHARACTERS_RE.sub("", draw(wild_text))
        data.cell(row=r, column=len(TEMPLATE_COLUMNS) + 1, value=extra)
    elif structure == "no data sheet":
        wb.remove(data)
    package = workbook_bytes(wb)
    if draw(st.booleans()):
        return draw(byte_damage(package, text=False))
    return draw(damaged_part(package))


@st.composite
def damaged_part(draw: st.DrawFn, package: bytes) -> bytes:
    """The workbook re-zipped with one XML part damaged: what calamine and the formula scan
    parse, past the zip's own checks."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = sorted(n for n in parts if n.startswith("xl/") and n.endswith(".xml"))
    part = draw(st.sampled_from(xml))
    parts[part] = draw(byte_damage(parts[part]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, content in parts.items():
            zf.writestr(n, content)
    return out.getvalue()


def test_broken_workbooks_never_crash_nor_change_the_store(tmp_path, template_bytes):
    @EXAMPLES
    @given(data=st.data())
    def check(data):
        path = tmp_path / "broken.xlsx"
        path.write_bytes(data.draw(broken_workbook(template_bytes)))
        submit_safely(path)

    check()
    assert_valid_still_loads(
        tmp_path / "valid.xlsx", workbook_bytes(fill_template(template_bytes, VALID_ROWS))
    )


# ---------------------------------------------------------------------------------------------
# Limits and files that pretend: refused end to end, with the store as it was
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def loaded_store(tmp_path) -> None:
    """A store that already holds a published file, so that "unchanged" means something."""
    path = tmp_path / "earlier.csv"
    path.write_bytes(sdmx_csv_bytes(VALID_ROWS, "1.0"))
    outcome = submit_safely(path, publish=True)
    assert isinstance(outcome, SubmissionResult) and outcome.loaded


def refused(path: Path, rule: str) -> SubmissionError:
    outcome = submit_safely(path)
    assert isinstance(outcome, SubmissionError), outcome
    assert outcome.rule == rule, (outcome.rule, outcome.message_en)
    return outcome


def test_a_file_above_the_size_limit(tmp_path, settings, loaded_store):
    path = tmp_path / "big.csv"
    path.write_bytes(sdmx_csv_bytes(VALID_ROWS, "1.0"))
    settings.PRIMI_UPLOAD_MAX_BYTES = path.stat().st_size - 1
    err = refused(path, "L0_SIZE")
    limit = str(path.stat().st_size - 1)
    assert limit in err.message_es and "límite" in err.message_es
    assert limit in err.message_en and "limit" in err.message_en
    settings.PRIMI_UPLOAD_MAX_BYTES = path.stat().st_size
    assert submit_safely(path).loaded


@pytest.mark.parametrize("fmt", ["sdmx-csv-1.0", "long-csv-utf8-comma", "sdmx-ml", "sdmx-json"])
def test_a_file_above_the_row_limit(tmp_path, settings, loaded_store, fmt):
    suffix, build = TEXT_FORMATS[fmt]
    path = tmp_path / f"rows{suffix}"
    path.write_bytes(build(VALID_ROWS))
    settings.PRIMI_UPLOAD_MAX_ROWS = len(VALID_ROWS) - 1
    err = refused(path, "L0_ROWS")
    assert f"{len(VALID_ROWS)} filas" in err.message_es and "límite" in err.message_es
    assert f"{len(VALID_ROWS)} rows" in err.message_en and "limit" in err.message_en


def test_a_workbook_above_the_row_limit(tmp_path, settings, loaded_store, template_bytes):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(workbook_bytes(fill_template(template_bytes, VALID_ROWS)))
    settings.PRIMI_UPLOAD_MAX_ROWS = 1
    refused(path, "L0_ROWS")


def test_a_zip_bomb_workbook(tmp_path, loaded_store):
    """10 MB of one repeated byte inflate from about 10 kB: refused before anything opens it."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * 10_000_000)
    err = refused(path, "L0_ZIP_BOMB")
    assert "10000" in err.message_en and "inflates" in err.message_en
    assert "descomprime" in err.message_es


def billion_laughs(levels: int = 10) -> str:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    )
    return f"<!DOCTYPE lolz [{entities}]>"


@pytest.mark.parametrize(
    ("doctype", "entity"),
    [
        (billion_laughs(), "&lol9;"),
        ('<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    ],
    ids=["billion-laughs", "xxe"],
)
def test_entity_expansion_and_external_entities(tmp_path, loaded_store, doctype, entity):
    rows = [{**VALID_ROWS[0], "COMMENT_OBS": "ENTITY_HERE"}]
    text = sdmx_ml_bytes(rows).decode().replace('"ENTITY_HERE"', f'"{entity}"')
    path = tmp_path / "evil.xml"
    path.write_text(text.replace("?>\n", f"?>\n{doctype}\n", 1), encoding="utf-8")
    err = refused(path, "L0_XML_DOCTYPE")
    assert "DOCTYPE" in err.message_es and "entidades" in err.message_es
    assert "DOCTYPE" in err.message_en and "entity expansion" in err.message_en
    assert "root:" not in err.message_en and "lollol" not in err.message_en


@pytest.mark.parametrize(
    ("name", "content", "claimed", "real"),
    [
        ("datos.xlsx", lambda t: sdmx_csv_bytes(VALID_ROWS, "1.0"), ".xlsx", "SDMX-CSV"),
        ("datos.xlsx", lambda t: long_csv_bytes(VALID_ROWS, "utf-8", ";"), ".xlsx", "CSV"),
        ("datos.csv", lambda t: sdmx_json_bytes(VALID_ROWS), ".csv", "SDMX-JSON"),
        ("datos.csv", lambda t: t, ".csv", "Excel (.xlsx)"),
        ("datos.json", lambda t: sdmx_ml_bytes(VALID_ROWS), ".json", "SDMX-ML (XML)"),
        ("datos.xml", lambda t: t, ".xml", "Excel (.xlsx)"),
    ],
)
def test_a_file_pretending_to_be_another_type(
    tmp_path, loaded_store, template_bytes, name, content, claimed, real
):
    workbook = workbook_bytes(fill_template(template_bytes, VALID_ROWS))
    path = tmp_path / name
    path.write_bytes(content(workbook))
    err = refused(path, "L0_TYPE_MISMATCH")
    assert claimed in err.message_es and real in err.message_es
    assert claimed in err.message_en and real in err.message_en


# ---------------------------------------------------------------------------------------------
# Formulas in text fields are text: stored and exported as written, never evaluated
# ---------------------------------------------------------------------------------------------

INJECTIONS = ["=1+1", "+1+1", "-2+3", "@SUM(A1)", '=HYPERLINK("http://192.0.2.1/x","clic")']
AREAS = ["MEX", "USA", "HND", "SLV", "NIC"]


def injected_rows() -> list[Row]:
    return [
        {**FIXED, "COUNTERPART_AREA": area, "SEX": "_T", "TIME_PERIOD": "2024-03"}
        | {"OBS_VALUE": str(10 + i), "COMMENT_OBS": comment}
        for i, (area, comment) in enumerate(zip(AREAS, INJECTIONS, strict=True))
    ]


def injected_workbook(template: bytes) -> bytes:
    """The comments typed as text (Excel's leading apostrophe), not as formulas."""
    wb = fill_template(template, [{**r, "COMMENT_OBS": None} for r in injected_rows()])
    column = TEMPLATE_COLUMNS.index("COMMENT_OBS") + 1
    for r, comment in enumerate(INJECTIONS, start=FIRST_DATA_ROW):
        cell = wb.worksheets[1].cell(row=r, column=column)
        cell.value = comment
        cell.data_type = "s"
    return workbook_bytes(wb)


@pytest.mark.parametrize(
    "fmt",
    ["sdmx-csv-1.0", "sdmx-csv-2.0", "long-csv-bom-semicolon", "sdmx-ml", "sdmx-json", "xlsx"],
)
def test_formula_like_comments_are_stored_and_exported_as_text(tmp_path, template_bytes, fmt):
    if fmt == "xlsx":
        path = tmp_path / "comments.xlsx"
        path.write_bytes(injected_workbook(template_bytes))
    else:
        suffix, build = TEXT_FORMATS[fmt]
        path = tmp_path / f"comments{suffix}"
        path.write_bytes(build(injected_rows()))
    result = submit_safely(path, publish=True)
    assert isinstance(result, SubmissionResult) and result.loaded, result
    revisions = draft_values(result.load.submission)
    stored = {r.series_key.split(".")[3]: r.comment_obs for r in revisions}
    assert stored == dict(zip(AREAS, INJECTIONS, strict=True))
    exported = tmp_path / "export.csv"
    export_flow("DF_FLOWS", out=exported)
    table = read_sdmx_csv(exported).table
    assert sorted(table.column("COMMENT_OBS").to_pylist()) == sorted(INJECTIONS)
    assert sorted(table.column("OBS_VALUE").to_pylist()) == [10.0, 11.0, 12.0, 13.0, 14.0]


def test_a_formula_in_an_xlsx_cell_is_refused_naming_it(tmp_path, loaded_store, template_bytes):
    wb = fill_template(template_bytes, VALID_ROWS)
    wb.worksheets[1].cell(row=FIRST_DATA_ROW + 1, column=11, value="=1+1")
    path = tmp_path / "formula.xlsx"
    path.write_bytes(workbook_bytes(wb))
    err = refused(path, "L0_FORMULA")
    assert f"K{FIRST_DATA_ROW + 1}" in err.message_es and f"K{FIRST_DATA_ROW + 1}" in err.message_en


# ---------------------------------------------------------------------------------------------
# A crash found outside the readers: checks.history joined the file's codes into a key pattern,
# so a code holding '.' (a decimal number or a time typed in a code cell) broke it.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["1.5", "M.GTM", "01:39:54.085000"])
def test_a_code_with_a_dot_is_an_error_not_a_crash(tmp_path, loaded_store, code):
    path = tmp_path / "dot.csv"
    path.write_bytes(sdmx_csv_bytes([{**VALID_ROWS[0], "COUNTERPART_AREA": code}], "1.0"))
    result = submit_safely(path)
    assert isinstance(result, SubmissionResult)
    assert "L1_CODE" in {f.rule for f in result.errors}


# ---------------------------------------------------------------------------------------------
# The crashes the generated files found in the readers, each as it first appeared
# ---------------------------------------------------------------------------------------------


def date_cell_far_below_zero(template: bytes) -> bytes:
    """calamine panics (a Rust panic, a BaseException) turning -1e308 into a date."""
    wb = fill_template(template, VALID_ROWS)
    cell = wb.worksheets[1].cell(row=FIRST_DATA_ROW, column=9)
    cell.value = -1e308
    cell.number_format = "yyyy-mm-dd"
    return workbook_bytes(wb)


def deflate_damaged(template: bytes) -> bytes:
    """A data sheet whose deflate stream is corrupt (zlib.error), its CRC left alone."""
    package = bytearray(workbook_bytes(fill_template(template, VALID_ROWS)))
    with zipfile.ZipFile(io.BytesIO(bytes(package))) as zf:
        info = zf.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    package[start : start + 64] = bytes(64)
    return bytes(package)


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("cr.csv", lambda t: b"\r" + long_csv_bytes(VALID_ROWS, "utf-8", ","), "L0_HEADER"),
        ("cr20.csv", lambda t: b"\r" + sdmx_csv_bytes(VALID_ROWS, "2.0"), "L0_HEADER"),
        (
            "ebcdic.csv",
            lambda t: long_csv_bytes(VALID_ROWS, "utf-8", ",").decode().encode("cp037"),
            "L0_MISSING_COLUMN",
        ),
        (
            "bom.csv",
            lambda t: b"\xef\xbb\xbf\x80" + long_csv_bytes(VALID_ROWS, "utf-8", ";"),
            "L0_ENCODING",
        ),
        ("cut.xml", lambda t: b'<?xml version="1.0" encoding="UTF-8"?>\n<mes:', "L0_FORMAT"),
        ("deflate.xlsx", deflate_damaged, "L0_UNREADABLE"),
        ("date.xlsx", date_cell_far_below_zero, "L0_UNREADABLE"),
    ],
)
def test_reader_crashes_found_are_refusals(
    tmp_path, loaded_store, template_bytes, name, content, rule
):
    path = tmp_path / name
    path.write_bytes(content(template_bytes))
    refused(path, rule)


@pytest.mark.parametrize("fmt", list(TEXT_FORMATS))
@pytest.mark.parametrize("column", ["SEX", "COUNTERPART_AREA", "COMMENT_OBS"])
def test_nul_in_a_field_is_refused_by_name(tmp_path, fmt, column):
    """A NUL (PostgreSQL cannot store it, even as a query parameter) in a code or a comment:
    refused with a finding, never a database error; the report shows it as a code point."""
    suffix, build = TEXT_FORMATS[fmt]
    rows = [dict(VALID_ROWS[0], **{column: "ab\x00c"})]
    path = tmp_path / f"nul{suffix}"
    path.write_bytes(build(rows))
    outcome = submit_safely(path)
    if isinstance(outcome, SubmissionResult):
        rules = {f.rule for f in outcome.errors}
        expected = "L1_CONTROL_CHARACTER" if column == "COMMENT_OBS" else "L1_CODE"
        assert expected in rules, outcome.findings
        assert "\x00" not in json.dumps(outcome.as_report(), ensure_ascii=False)
        assert "<U+0000>" in json.dumps(outcome.as_report(), ensure_ascii=False) or (
            column == "COMMENT_OBS"
        )


def test_cp1252_bytes_in_a_ragged_sdmx_csv_row_are_refused_by_name(tmp_path, loaded_store):
    """Found by the broken files above (re-encoded to cp1252, a column added): pyarrow swallowed
    the UnicodeDecodeError of its invalid-row handler; now the encoding is refused first."""
    data = sdmx_csv_bytes(VALID_ROWS, "1.0").replace(b"\r\n", b"\n")
    lines = data.rstrip(b"\n").split(b"\n")
    lines[-1] += ",Perú".encode("cp1252")
    path = tmp_path / "cp1252.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    err = refused(path, "L0_ENCODING")
    assert f"fila {len(lines)}" in err.message_es and f"row {len(lines)}" in err.message_en


def test_every_spoiled_value_of_a_text_file_is_reported(tmp_path, loaded_store):
    """Not the first one only: each spoiled value is an error naming its row, in every format."""
    rows = [
        {**VALID_ROWS[0], "COUNTERPART_AREA": area, "TIME_PERIOD": month, "OBS_VALUE": str(i)}
        for i, (area, month) in enumerate((a, m) for a in ["MEX", "USA", "HND"] for m in MONTHS)
    ]
    spoiled = {3: "n/d", 20: "=1+1", 50: "0x1F", 71: "١٢٣"}
    for fmt, (suffix, build) in TEXT_FORMATS.items():
        text = json.dumps if fmt == "sdmx-json" else str  # a JSON string, not bare text
        for i, value in spoiled.items():
            rows[i] = {**rows[i], "OBS_VALUE": text(value)}
        path = tmp_path / f"spoiled{suffix}"
        path.write_bytes(build(rows))
        result = submit_safely(path)
        assert isinstance(result, SubmissionResult) and not result.loaded, fmt
        numbers = [f for f in result.errors if f.rule == "L1_NUMBER"]
        assert len(numbers) == len(spoiled), (fmt, [f.line("en") for f in result.errors])
        assert result.rows_read == len(rows), fmt
