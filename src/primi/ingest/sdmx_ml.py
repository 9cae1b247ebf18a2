"""Read SDMX-ML 2.1 GenericData and StructureSpecificData messages into the canonical frame.

Both series-level (`dimensionAtObservation` = TIME_PERIOD) and flat (`AllDimensions`)
observations are read, in one pass of lxml's iterparse that clears elements once used (Obs
elements in batches of 1024), so memory grows with the columns kept, not with the XML tree.
Parsing goes through `xml_safety.iterparse_safely` (no DOCTYPE, no entities, no network).
StructureSpecificData 3.0 is read the same way, so that such a message is refused naming its
structure rather than as unreadable.

Values are gathered per component as text: series keys and series attributes once per series,
observations grouped by the names of the attributes they carry (their "shape"), each
observation's values appended to its shape's list in one call, so that an attribute present on
some observations only costs nothing on the others and a structure-specific Obs costs a few list
operations; each shape's list becomes one pyarrow column per component at the end. The text
columns then go through the same conversions as SDMX-CSV (periods canonical on distinct values,
numbers checked), column-wise.

SOURCE_ROW is the line of the Obs element in the file (lxml's `sourceline`), so the report
points at a line the submitter can open in an editor. libxml2 counts the line where the start tag
ends: an Obs whose attributes are spread over several lines is named by the last of them. From
line 65,535 on libxml2's lines are wrong (a 16-bit field), so in a file that long the lines are
counted again from the bytes (`xml_lines`), the same way.
"""

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from primi.ingest.bad_rows import BadRows, row_findings
from primi.ingest.errors import ReadError
from primi.ingest.file_data import FileData
from primi.ingest.sdmx_csv import (
    CODED_ATTRIBUTES,
    INTEGER_ATTRIBUTES,
    INTEGER_PATTERN,
    NUMBER_PATTERN,
    REQUIRED,
    action_problem,
    canonical_periods,
    check_columns,
    empty_as_null,
    finite,
    parse_numbers,
)
from primi.ingest.xml_lines import BIG_LINE, start_tag_lines
from primi.ingest.xml_safety import iterparse_safely
from primi.standard import frame

DATA_MESSAGES = {
    "GenericData": "generic",
    "GenericTimeSeriesData": "generic",
    "StructureSpecificData": "structure",
    "StructureSpecificTimeSeriesData": "structure",
}
MESSAGE_VERSIONS = {"v2_1": "2.1", "v3_0": "3.0", "v3_1": "3.1"}
# DataSet attributes that describe the data set itself, not a component of the structure.
DATASET_PROPERTIES = frozenset(
    {
        "structureRef",
        "setID",
        "action",
        "reportingBeginDate",
        "reportingEndDate",
        "validFromDate",
        "validToDate",
        "publicationYear",
        "publicationPeriod",
        "dataScope",
    }
)
ACTION_LETTERS = {"append": "A", "replace": "R", "delete": "D", "information": "I", "merge": "M"}


@dataclass
class _Structure:
    ref: str
    dimension_at_observation: str
    line: int


@dataclass
class _Shape:
    """The observations that carry one sequence of attribute names (qualified ones dropped)."""

    names: tuple[str, ...]
    every_name: bool = False
    index: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # row by row, `columns` values each

    def __post_init__(self) -> None:
        keep = lambda k: self.every_name or k[:1] != "{"  # noqa: E731
        self.kept = tuple(i for i, k in enumerate(self.names) if keep(k))
        self.plain = len(self.kept) == len(self.names)
        self.columns = tuple(self.names[i] for i in self.kept)


@dataclass
class _Gathered:
    """Text values by component while the file streams past."""

    series: list[dict[str, str]] = field(default_factory=list)
    obs_series: list[int] = field(default_factory=list)
    obs_lines: list[int] = field(default_factory=list)
    # Observations by the components they carry, in order: one tuple of values per observation.
    obs_shapes: dict[tuple[str, ...], _Shape] = field(default_factory=dict)
    structures: dict[str, _Structure] = field(default_factory=dict)
    used: dict[str, _Structure] = field(default_factory=dict)
    actions: list[tuple[str, int]] = field(default_factory=list)
    group_line: int | None = None

    def add_obs(self, series: int, line: int, values: dict[str, str]) -> None:
        shape = self.shape(tuple(values), every_name=True)
        shape.index.append(len(self.obs_lines))
        shape.values.extend(values.values())
        self.obs_series.append(series)
        self.obs_lines.append(line)

    def shape(self, names: tuple[str, ...], every_name: bool = False) -> _Shape:
        shape = self.obs_shapes.get(names)
        if shape is None:
            shape = self.obs_shapes[names] = _Shape(names, every_name)
        return shape


def read_sdmx_ml(path: Path) -> FileData:
    """Read an SDMX-ML data message sent against a PRIMI structure; ReadError if it cannot be
    read at all, error findings (and the observations it could read) for values it cannot."""
    path = Path(path)
    name = path.name
    gathered, version = _gather(path)
    raw = _raw_table(gathered)
    lines = pa.array(_exact_lines(path, "Obs", gathered.obs_lines), pa.int64())
    structures = {s.ref for s in gathered.used.values()} or {
        s.ref for s in gathered.structures.values()
    }
    header_line = min((s.line for s in gathered.structures.values()), default=1)
    try:
        check_columns(name, raw.column_names, structures)
    except ReadError as err:
        raise relocated(err, header_line) from None
    if gathered.group_line is not None:
        raise ReadError(
            name,
            "L0_SDMX_GROUP",
            "El mensaje tiene elementos Group, que la estructura DSD_MIGR no define; envíe los "
            "atributos en cada serie.",
            "The message has Group elements, which the DSD_MIGR structure does not define; send "
            "the attributes on each series.",
            row=gathered.group_line,
        )
    table, bad = frame_from_components(raw, lines)
    dataset_lines = _exact_lines(path, "DataSet", [line for _, line in gathered.actions])
    for (action, _), line in zip(gathered.actions, dataset_lines, strict=True):
        problem = action_problem(ACTION_LETTERS.get(action.lower(), action))
        if problem is not None:
            rule, es, en = problem
            bad.add_rows(rule, [line], "action", None, lambda _, es=es, en=en: (es, en))
    return FileData(
        table=table,
        dataflows=structures,
        version=version,
        findings=row_findings(name, [bad]),
        rows_read=raw.num_rows,
    )


def _exact_lines(path: Path, local: str, lines: list[int]) -> list[int] | np.ndarray:
    """lxml's lines of the `local` elements, counted again from the bytes when one of them is
    past the lines libxml2 numbers exactly (see xml_lines)."""
    if not lines or max(lines) < BIG_LINE:
        return lines
    counted = start_tag_lines(path, local, len(lines))
    return lines if counted is None else counted


def frame_from_components(raw: pa.Table, source_rows: pa.Array) -> tuple[pa.Table, BadRows]:
    """The canonical frame from one text column per component (OBS_VALUE text or numbers),
    with the rows that hold a value it cannot read left out and marked in the BadRows returned.

    Shared with the SDMX-JSON reader: the conversions are SDMX-CSV's, and rows are named by
    `source_rows` (line or position in the file).
    """
    bad = BadRows(source_rows)
    columns: dict[str, pa.ChunkedArray | pa.Array] = {}
    for dim in (*frame.DIMENSIONS, frame.TIME_DIMENSION):
        column = raw.column(dim)
        bad.add(
            "L1_MISSING_VALUE", pc.is_null(column), dim, None,
            lambda _, dim=dim: (
                f"La observación no tiene valor para la dimensión {dim}.",
                f"The observation has no value for the dimension {dim}.",
            ),
        )  # fmt: skip
        columns[dim] = column
    columns[frame.TIME_DIMENSION] = canonical_periods(raw.column(frame.TIME_DIMENSION), bad)
    measure = raw.column(frame.MEASURE)
    if pa.types.is_string(measure.type):
        measure = parse_numbers(measure, frame.MEASURE, NUMBER_PATTERN, bad)
    else:  # JSON numbers: json reads 1e400 as infinity and NaN as NaN
        measure = finite(measure.cast(pa.float64()), frame.MEASURE, measure, bad)
    columns[frame.MEASURE] = measure
    for attr in CODED_ATTRIBUTES:
        if attr in raw.column_names:
            columns[attr] = empty_as_null(raw.column(attr))
    if "COMMENT_OBS" in raw.column_names:
        columns["COMMENT_OBS"] = empty_as_null(raw.column("COMMENT_OBS"))
    for attr in INTEGER_ATTRIBUTES:
        if attr in raw.column_names:
            columns[attr] = parse_numbers(raw.column(attr), attr, INTEGER_PATTERN, bad)
    columns[frame.SOURCE_ROW] = source_rows
    return bad.keep(frame.conform(pa.table(columns))), bad


def relocated(err: ReadError, row: int | None) -> ReadError:
    """The same error pointing at another row (a line of the XML, a position in the JSON)."""
    f = err.finding
    return ReadError(f.file, f.rule, f.message_es, f.message_en, row=row, column=f.column)


@functools.cache
def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _local(tag: object) -> str:
    """An element's name without its namespace, remembered per tag (called twice per element)."""
    return _local_name(tag) if isinstance(tag, str) else ""


def _gather(path: Path) -> tuple[_Gathered, str]:
    name = path.name
    g = _Gathered()
    kind = version = ""
    dataset: dict[str, str] = {}
    dataset_ref: str | None = None
    series_values: dict[str, str] | None = None
    series = -1
    flat_series = -1
    in_header = False
    # The bulk of a structure-specific message, its Obs elements, is handled first and inline.
    obs_series, obs_lines = g.obs_series, g.obs_lines
    last_names: list[str] | None = None
    shape = _Shape(())
    last_parent, in_series = None, False
    for event, el in iterparse_safely(path):
        if el.tag == "Obs" and kind == "structure":
            if event == "start":
                continue
            parent = el.getparent()
            if parent is not last_parent:
                last_parent = parent
                in_series = parent is not None and _local(parent.tag) == "Series"
            if in_series:
                obs_series.append(series)
            else:
                if flat_series < 0:
                    g.series.append(dict(dataset))
                    flat_series = len(g.series) - 1
                    _use(name, g, dataset_ref, el.sourceline)
                obs_series.append(flat_series)
            names = el.keys()
            if names != last_names:
                shape, last_names = g.shape(tuple(names)), names
            shape.index.append(len(obs_lines))
            obs_lines.append(el.sourceline or 0)
            values = el.values()
            shape.values.extend(values if shape.plain else [values[i] for i in shape.kept])
            if not len(obs_lines) % 1024:
                _release(el)
            continue
        local = _local(el.tag)
        if kind == "":
            kind, version = _message_kind(name, el, local)
            continue
        if event == "start":
            if local == "Header":
                in_header = True
            elif local == "DataSet" and not in_header:
                dataset = _dataset_components(el) if kind == "structure" else {}
                dataset_ref = _structure_ref_attr(el)
                g.actions.append((el.get("action") or "", el.sourceline or 0))
                flat_series = -1
            elif local == "Series" and kind == "structure":
                series_values = {**dataset, **_components(el)}
                g.series.append(series_values)
                series = len(g.series) - 1
                _use(name, g, dataset_ref, el.sourceline)
            elif local == "Group" and g.group_line is None:
                g.group_line = el.sourceline
            continue
        # end events
        if in_header:
            if local == "Structure" and _local(el.getparent().tag) == "Header":
                _header_structure(g, el)
            elif local == "Header":
                in_header = False
            continue
        parent = _local(el.getparent().tag) if el.getparent() is not None else ""
        if local == "Obs":
            if parent == "Series":
                g.add_obs(series, el.sourceline or 0, _obs_components(el, kind, g, dataset_ref))
            else:
                if flat_series < 0:
                    g.series.append(dict(dataset))
                    flat_series = len(g.series) - 1
                    _use(name, g, dataset_ref, el.sourceline)
                g.add_obs(
                    flat_series, el.sourceline or 0, _obs_components(el, kind, g, dataset_ref)
                )
            _release(el)
        elif kind == "generic" and local == "SeriesKey" and parent == "Series":
            series_values = {**dataset, **_generic_values(el)}
            g.series.append(series_values)
            series = len(g.series) - 1
            _use(name, g, dataset_ref, el.sourceline)
        elif kind == "generic" and local == "Attributes" and parent == "Series":
            if series_values is not None:
                series_values.update(_generic_values(el))
        elif kind == "generic" and local == "Attributes" and parent == "DataSet":
            dataset.update(_generic_values(el))
        elif local in ("Series", "Group"):
            _release(el)
    return g, version


def _message_kind(name: str, root: etree._Element, local: str) -> tuple[str, str]:
    # Not etree.QName: a truncated root (`<mes:`) reaches here with a tag QName refuses.
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    version = next((v for k, v in MESSAGE_VERSIONS.items() if f"/{k}/" in namespace), "")
    if local in DATA_MESSAGES and version and "sdmx" in namespace.lower():
        kind = DATA_MESSAGES[local]
        return kind, f"ml-{kind}-{version}"
    if local == "Structure" and version:
        raise ReadError(
            name,
            "L0_FORMAT",
            "El archivo es un mensaje SDMX de estructuras (definiciones), no de datos: envíe "
            "un mensaje GenericData o StructureSpecificData.",
            "The file is an SDMX structure message (definitions), not data: send a GenericData "
            "or StructureSpecificData message.",
            row=root.sourceline,
        )
    raise ReadError(
        name,
        "L0_FORMAT",
        f"El XML no es un mensaje de datos SDMX-ML 2.1 (elemento raíz «{local}»).",
        f"The XML is not an SDMX-ML 2.1 data message (root element '{local}').",
        row=root.sourceline,
    )


def _header_structure(g: _Gathered, el: etree._Element) -> None:
    """Header/Structure: the reference it names (dataflow preferred) and the observation level."""
    refs: dict[str, str] = {}
    for child in el:
        kind = _local(child.tag)
        ref = _reference(child)
        if ref:
            refs[kind] = ref
    namespace = el.get("namespace") or ""
    ref = (
        refs.get("StructureUsage")
        or refs.get("Structure")
        or refs.get("ProvisionAgreement")
        or _urn_ref(namespace)
        or el.get("structureID", "")
    )
    g.structures[el.get("structureID", "")] = _Structure(
        ref, el.get("dimensionAtObservation") or frame.TIME_DIMENSION, el.sourceline or 1
    )


def _reference(el: etree._Element) -> str:
    for child in el:
        local = _local(child.tag)
        if local == "Ref" and child.get("id"):
            agency, version = child.get("agencyID"), child.get("version")
            return (
                (f"{agency}:" if agency else "")
                + child.get("id", "")
                + (f"({version})" if version else "")
            )
        if local == "URN" and child.text:
            return _urn_ref(child.text)
    return _urn_ref(el.text or "")


def _urn_ref(urn: str) -> str:
    """`urn:sdmx:...Dataflow=ECB:EXR(1.0)` -> `ECB:EXR(1.0)`."""
    urn = urn.strip()
    if not urn.startswith("urn:") or "=" not in urn:
        return ""
    return urn.split("=", 1)[1].split(":ObsLevelDim", 1)[0]


def _structure_ref_attr(el: etree._Element) -> str | None:
    for key, value in el.attrib.items():
        if _local(key) == "structureRef":
            return value
    return None


def _use(name: str, g: _Gathered, ref: str | None, line: int | None) -> None:
    """Record the header structure a data set's observations are sent against."""
    if ref is None and len(g.structures) == 1:
        ref = next(iter(g.structures))
    if ref in g.used:
        return
    structure = g.structures.get(ref or "")
    if structure is None:
        raise ReadError(
            name,
            "L0_SDMX_STRUCTURE_REF",
            f"El DataSet se refiere a la estructura «{ref}», que la cabecera no declara.",
            f"The DataSet refers to structure '{ref}', which the header does not declare.",
            row=line,
        )
    g.used[ref or ""] = structure


def _components(el: etree._Element) -> dict[str, str]:
    """The unqualified attributes of a structure-specific element: components and values."""
    return {k: v for k, v in el.attrib.items() if k[0] != "{"}


def _dataset_components(el: etree._Element) -> dict[str, str]:
    return {k: v for k, v in _components(el).items() if k not in DATASET_PROPERTIES}


def _obs_components(
    el: etree._Element, kind: str, g: _Gathered, dataset_ref: str | None
) -> dict[str, str]:
    if kind == "structure":
        return _components(el)
    values: dict[str, str] = {}
    for child in el:
        local = _local(child.tag)
        if local == "ObsDimension":
            structure = g.used.get(dataset_ref or "") or next(iter(g.used.values()), None)
            dim = structure.dimension_at_observation if structure else frame.TIME_DIMENSION
            values[dim] = child.get("value", "")
        elif local == "ObsValue":
            values[frame.MEASURE] = child.get("value", "")
        elif local in ("ObsKey", "Attributes"):
            values.update(_generic_values(child))
    return values


def _generic_values(el: etree._Element) -> dict[str, str]:
    return {v.get("id", ""): v.get("value", "") for v in el if _local(v.tag) == "Value"}


def _release(el: etree._Element) -> None:
    """Free an element once read, and the siblings before it, so memory stays flat."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def _raw_table(g: _Gathered) -> pa.Table:
    """One text column per component, observation-level values over series-level ones."""
    n = len(g.obs_lines)
    columns: dict[str, pa.Array] = {}
    if g.series:
        keys = dict.fromkeys(k for values in g.series for k in values)
        series = pa.Table.from_pylist(g.series, schema=pa.schema([(k, pa.string()) for k in keys]))
        taken = series.take(pa.array(g.obs_series, pa.int64()))
        for column_name in taken.column_names:
            columns[column_name] = taken.column(column_name).combine_chunks()
    for key, (index, values) in _obs_columns(g).items():
        if len(g.obs_shapes) == 1 and len(index) == n:
            array = values
        else:
            position = np.full(n, -1, dtype=np.int64)
            position[index] = np.arange(len(index))
            array = values.take(pa.array(position, mask=position < 0))
        if key in columns:
            array = pc.coalesce(array, columns[key].cast(pa.string()))
        columns[key] = array
    if frame.MEASURE not in columns:
        columns[frame.MEASURE] = pa.nulls(n, pa.string())
    if n == 0:
        for required in REQUIRED:
            columns.setdefault(required, pa.array([], pa.string()))
    return pa.table({k: pa.chunked_array([v.cast(pa.string())]) for k, v in columns.items()})


def _obs_columns(g: _Gathered) -> dict[str, tuple[np.ndarray, pa.Array]]:
    """Per component, in order of first appearance: observation indexes and their values."""
    parts: dict[str, list[tuple[list[int], pa.Array]]] = {}
    for shape in g.obs_shapes.values():
        width = len(shape.columns)
        for i, name in enumerate(shape.columns):
            values = pa.array(shape.values[i::width], pa.string())
            parts.setdefault(name, []).append((shape.index, values))
    return {
        name: (
            np.concatenate([np.asarray(index, dtype=np.int64) for index, _ in chunks]),
            pa.concat_arrays([values for _, values in chunks]),
        )
        for name, chunks in parts.items()
    }
