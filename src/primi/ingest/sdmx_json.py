"""Read SDMX-JSON 1.0 and 2.0 data messages into the canonical frame.

SDMX-JSON does not repeat codes: each dimension and attribute lists its values once (in
`structure` for 1.0, in `data.structures[]` for 2.0), series keys such as "0:1:0" and observation
keys are indices into those lists, and an observation is an array [value, attribute index, ...].
The reader walks the series in Python (one step per series, observations taken a whole series at
a time) and resolves every index column-wise with pyarrow `take`.

The file is read with `json.load`: a 100 MB message becomes about ten times that in Python
objects for the duration of the read (measured figures in the module's tests and the report).
A streaming parser would need a new dependency for no gain at the sizes a country submits.

SOURCE_ROW is the observation's position in the file, counting from 1 in the order the
observations appear (data sets, then series, then observations), since JSON has no rows.
"""

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.ingest.bad_rows import row_findings
from primi.ingest.errors import ReadError
from primi.ingest.file_data import FileData
from primi.ingest.sdmx_csv import check_columns
from primi.ingest.sdmx_ml import frame_from_components, relocated
from primi.standard import frame

LEVELS = ("dataSet", "series", "observation")
_HREF = re.compile(r"/(dataflow|datastructure)/([^/]+)/([^/]+)/([^/?#]+)", re.IGNORECASE)


class _Shape(Exception):
    """The document is JSON but not the SDMX-JSON data shape; the text says where."""


def read_sdmx_json(path: Path) -> FileData:
    """Read an SDMX-JSON data message sent against a PRIMI structure; ReadError if it cannot be
    read at all, error findings (and the observations it could read) for values it cannot."""
    path = Path(path)
    name = path.name
    doc = _load(path)
    try:
        version, structures, datasets = _message(name, doc)
        refs: set[str] = set()
        parts: list[pa.Table] = []
        for dataset in datasets:
            if not isinstance(dataset, dict):
                raise _Shape("dataSets[] must hold objects")
            structure = _structure_of(dataset, structures, version)
            ref = _link_ref(dataset.get("links")) or _link_ref(structure.get("links"))
            if ref:
                refs.add(ref)
            parts.append(_dataset_table(structure, dataset))
    except _Shape as exc:
        raise _shape_error(name, str(exc)) from None
    except UnicodeEncodeError:  # JSON lets a lone surrogate through ("\ud800"); Arrow does not
        raise ReadError(
            name,
            "L0_ENCODING",
            "El archivo tiene texto que no es Unicode válido (un carácter sustituto suelto, "
            "\\ud800-\\udfff).",
            "The file holds text that is not valid Unicode (a lone surrogate, \\ud800-\\udfff).",
        ) from None
    raw = _concat(parts)
    try:
        check_columns(name, raw.column_names, refs)
    except ReadError as err:
        raise relocated(err, None) from None
    rows = pa.array(np.arange(1, raw.num_rows + 1, dtype=np.int64))
    table, bad = frame_from_components(raw, rows)
    return FileData(
        table=table,
        dataflows=refs,
        version=version,
        findings=row_findings(name, [bad]),
        rows_read=raw.num_rows,
    )


def _load(path: Path) -> Any:
    name = path.name
    try:
        with path.open("rb") as fh:
            return json.load(fh)
    except OSError as exc:
        raise ReadError.unopenable(name, exc) from None
    except UnicodeDecodeError:
        raise ReadError(
            name,
            "L0_ENCODING",
            "El archivo no está en UTF-8, como exige JSON.",
            "The file is not UTF-8, as JSON requires.",
        ) from None
    except json.JSONDecodeError as exc:
        raise ReadError(
            name,
            "L0_UNREADABLE",
            f"El archivo no es JSON válido: {exc.msg} (línea {exc.lineno}, columna {exc.colno}).",
            f"The file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
            row=exc.lineno,
        ) from None
    except RecursionError:
        raise _shape_error(name, "nesting too deep") from None


def _shape_error(name: str, what: str) -> ReadError:
    return ReadError(
        name,
        "L0_FORMAT",
        f"El JSON no es un mensaje de datos SDMX-JSON 1.0 o 2.0 ({what}).",
        f"The JSON is not an SDMX-JSON 1.0 or 2.0 data message ({what}).",
    )


def _message(name: str, doc: Any) -> tuple[str, list[dict[str, Any]], list[Any]]:
    """(version, structures, data sets) of a data message; structure messages are refused."""
    if not isinstance(doc, dict):
        raise _Shape("the top level must be an object")
    data = doc.get("data")
    if isinstance(data, dict) and "dataSets" in data:
        structures = data.get("structures")
        if structures is None and isinstance(data.get("structure"), dict):
            structures = [data["structure"]]
        if not isinstance(structures, list) or not structures:
            raise _Shape("data.structures[] is missing")
        return "json-2.0", structures, _list(data, "dataSets")
    if "dataSets" in doc:
        structure = doc.get("structure")
        if not isinstance(structure, dict):
            raise _Shape("structure is missing")
        return "json-1.0", [structure], _list(doc, "dataSets")
    if isinstance(data, dict) and ("dataStructures" in data or "dataflows" in data):
        _refuse_structure_message(name, data)
    raise _Shape("no dataSets")


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    if not isinstance(value, list):
        raise _Shape(f"{key} must be a list")
    return value


def _refuse_structure_message(name: str, data: dict[str, Any]) -> None:
    """A structure message: named as foreign if it defines another agency's structure."""
    refs = {
        f"{a['agencyID']}:{a['id']}({a['version']})"
        for a in data.get("dataflows") or data.get("dataStructures") or []
        if isinstance(a, dict) and {"agencyID", "id", "version"} <= a.keys()
    }
    dimensions: list[str] = []
    for dsd in data.get("dataStructures") or []:
        dim_list = (dsd.get("dataStructureComponents") or {}).get("dimensionList") or {}
        for kind in ("dimensions", "timeDimensions"):
            dimensions += [d.get("id", "") for d in dim_list.get(kind) or []]
        measure_list = (dsd.get("dataStructureComponents") or {}).get("measureList") or {}
        primary = measure_list.get("primaryMeasure") or {}
        dimensions += [m.get("id", "") for m in [primary, *(measure_list.get("measures") or [])]]
    try:
        check_columns(name, dimensions, refs)
    except ReadError as err:
        raise relocated(err, None) from None
    raise ReadError(
        name,
        "L0_FORMAT",
        "El archivo es un mensaje SDMX-JSON de estructuras (definiciones), no de datos.",
        "The file is an SDMX-JSON structure message (definitions), not data.",
    )


def _structure_of(
    dataset: dict[str, Any], structures: list[dict[str, Any]], version: str
) -> dict[str, Any]:
    index = dataset.get("structure", 0) if version == "json-2.0" else 0
    if not isinstance(index, int) or not 0 <= index < len(structures):
        raise _Shape(f"dataSets[].structure {index!r} is not an index of data.structures[]")
    structure = structures[index]
    if not isinstance(structure, dict) or not isinstance(structure.get("dimensions"), dict):
        raise _Shape("a structure has no dimensions")
    return structure


def _link_ref(links: Any) -> str | None:
    """The dataflow (else data structure) a list of links names, as `AGENCY:ID(VERSION)`."""
    if not isinstance(links, list):
        return None
    found: dict[str, str] = {}
    for link in links:
        if not isinstance(link, dict):
            continue
        urn = link.get("urn") or ""
        if isinstance(urn, str) and urn.startswith("urn:") and "=" in urn:
            kind = urn.split("=", 1)[0].rsplit(".", 1)[-1].lower()
            found.setdefault(kind, urn.split("=", 1)[1])
            continue
        m = _HREF.search(str(link.get("href") or ""))
        if m:
            found.setdefault(m.group(1).lower(), f"{m.group(2)}:{m.group(3)}({m.group(4)})")
    return found.get("dataflow") or found.get("datastructure")


def _text(value: Any) -> str | None:
    """A component value's text: its id, else its value, else its (untranslated) name."""
    if isinstance(value, dict):
        for key in ("id", "value", "name"):
            if isinstance(value.get(key), str | int | float) and not isinstance(
                value.get(key), bool
            ):
                return str(value[key])
        return None
    if value is None:
        return None
    return str(value)


def _components(structure: dict[str, Any], kind: str, level: str) -> list[tuple[str, pa.Array]]:
    items = (structure.get(kind) or {}).get(level) or []
    if not isinstance(items, list):
        raise _Shape(f"{kind}.{level} must be a list")
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise _Shape(f"{kind}.{level}[] needs an id")
        values = item.get("values") or []
        out.append((item["id"], pa.array([_text(v) for v in values], pa.string())))
    return out


def _pick(values: pa.Array, indices: list[Any], what: str) -> pa.Array:
    """values[index] for each index (None stays missing); a bad index is a shape error."""
    try:
        index = pa.array(indices, pa.int64())
        return values.take(index)
    except (pa.ArrowInvalid, pa.ArrowTypeError, IndexError, TypeError) as exc:
        raise _Shape(f"{what}: {exc}") from None


def _dataset_table(structure: dict[str, Any], dataset: dict[str, Any]) -> pa.Table:
    dims = {level: _components(structure, "dimensions", level) for level in LEVELS}
    attrs = {level: _components(structure, "attributes", level) for level in LEVELS}
    measures = (structure.get("measures") or {}).get("observation") or [{"id": frame.MEASURE}]
    n_measures = len(measures) if isinstance(measures, list) else 1

    constant: dict[str, str | None] = {
        d: (v[0].as_py() if len(v) else None) for d, v in dims["dataSet"]
    }
    set_attrs = dataset.get("attributes") or []
    for j, (attr, values) in enumerate(attrs["dataSet"]):
        index = set_attrs[j] if j < len(set_attrs) else None
        constant[attr] = _pick(values, [index], attr)[0].as_py() if index is not None else None

    series_keys: list[str] = []
    series_attrs: list[list[Any]] = []
    obs_keys: list[str] = []
    obs_arrays: list[Any] = []
    obs_series: list[int] = []
    series = dataset.get("series")
    if isinstance(series, dict):
        for key, body in series.items():
            if not isinstance(body, dict):
                raise _Shape(f"series {key} must be an object")
            observations = body.get("observations") or {}
            if not isinstance(observations, dict):
                raise _Shape(f"series {key}: observations must be an object")
            number = len(series_keys)
            series_keys.append(key)
            series_attrs.append(body.get("attributes") or [])
            obs_keys.extend(observations.keys())
            obs_arrays.extend(observations.values())
            obs_series.extend([number] * len(observations))
    else:
        observations = dataset.get("observations") or {}
        if not isinstance(observations, dict):
            raise _Shape("dataSets[].observations must be an object")
        series_keys.append("")
        series_attrs.append([])
        obs_keys.extend(observations.keys())
        obs_arrays.extend(observations.values())
        obs_series.extend([0] * len(observations))

    n = len(obs_keys)
    take_series = pa.array(obs_series, pa.int64())
    columns: dict[str, pa.Array] = {}
    for dim, value in constant.items():
        columns[dim] = pa.array([value] * n, pa.string())
    for level, keys, spread in (
        ("series", series_keys, take_series),
        ("observation", obs_keys, None),
    ):
        if not dims[level]:
            continue
        parts = pc.split_pattern(pa.array(keys, pa.string()), ":")
        for position, (dim, values) in enumerate(dims[level]):
            try:
                index = pc.list_element(parts, position).cast(pa.int64())
            except (pa.ArrowInvalid, IndexError):
                raise _Shape(f"{level} keys do not have {len(dims[level])} parts") from None
            picked = _pick(values, index.to_pylist(), f"{level} key of {dim}")
            columns[dim] = picked.take(spread) if spread is not None else picked
    for j, (attr, values) in enumerate(attrs["series"]):
        indices = [a[j] if j < len(a) else None for a in series_attrs]
        columns[attr] = _pick(values, indices, f"series attribute {attr}").take(take_series)
    if any(not isinstance(o, list) for o in obs_arrays):
        raise _Shape("an observation must be an array [value, attribute index, ...]")
    columns[frame.MEASURE] = _measure([o[0] if o else None for o in obs_arrays])
    for j, (attr, values) in enumerate(attrs["observation"]):
        at = n_measures + j
        indices = [o[at] if len(o) > at else None for o in obs_arrays]
        columns[attr] = _pick(values, indices, f"observation attribute {attr}")
    return pa.table(columns)


def _measure(values: list[Any]) -> pa.Array:
    """Numbers stay numbers; any text in the column keeps the column as text to be checked."""
    try:
        return pa.array(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pa.array([None if v is None else str(v) for v in values], pa.string())


def _concat(parts: list[pa.Table]) -> pa.Table:
    if not parts:
        return pa.table({c: pa.array([], pa.string()) for c in frame.DIMENSIONS})
    names = list(dict.fromkeys(c for t in parts for c in t.column_names))
    measure_text = any(
        frame.MEASURE in t.column_names and pa.types.is_string(t.schema.field(frame.MEASURE).type)
        for t in parts
    )
    aligned = []
    for t in parts:
        cols = {}
        for c in names:
            kind = pa.float64() if c == frame.MEASURE and not measure_text else pa.string()
            cols[c] = t.column(c).cast(kind) if c in t.column_names else pa.nulls(t.num_rows, kind)
        aligned.append(pa.table(cols))
    return pa.concat_tables(aligned)
