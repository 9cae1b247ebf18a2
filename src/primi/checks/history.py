"""Level 3: a submission against the same provider's published history.

The history of every series in the submission comes from the store in one query
(`fetch_history`); the checks run over the history and the submission together, so they also
run on a submission alone (a long file is its own history). The series keys and period indexes
are computed once in numpy from the integer codes of `series_codes` (strings only per distinct
series and period) and handed to DuckDB as Arrow tables; the outliers, which need per-series and
moving medians, are numpy over arrays sorted once by series and period; the other rules are
DuckDB queries. Thresholds are in `rules.yaml`:

- revisions: a published value changes by more than `relative` and more than `absolute` units;
- outliers: robust z-score of log(1 + value) after removing a moving median level (half-width
  `window` periods) and, for monthly and quarterly series, the median deviation of the same
  month or quarter in other years; the scale is 1.4826 x the MAD of those residuals;
- level shifts: median of the new periods against the median of the last `recent` published ones;
- series that stop, and months missing inside a monthly series' span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.findings import Finding
from primi.checks.rules import max_findings_per_rule, rule
from primi.checks.series_codes import series_codes
from primi.standard.catalogue import Standard
from primi.standard.frame import DIMENSIONS, MEASURE, SOURCE_ROW, TIME_DIMENSION

HISTORY_SCHEMA = pa.schema(
    [
        ("SERIES_KEY", pa.string()),
        (TIME_DIMENSION, pa.string()),
        (MEASURE, pa.float64()),
        ("PUBLISHED_AT", pa.timestamp("us", tz="UTC")),
    ]
)


def empty_history() -> pa.Table:
    return HISTORY_SCHEMA.empty_table()


def fetch_history(table: pa.Table, std: Standard, *, dataflow: str, provider: str) -> pa.Table:
    """The provider's published values of the submission's series: one columnar query."""
    from primi.store.queries import current_values_table

    positions = []
    for dim in DIMENSIONS:
        # Only codes of the code list can be in the store (the code check refuses the others,
        # which may hold key separators or bytes the database cannot take).
        codelist = std.codelist_for(dim)
        codes = sorted(v for v in table.column(dim).unique().to_pylist() if v in codelist)
        if not codes:
            return empty_history()
        positions.append("+".join(codes))
    history = current_values_table(".".join(positions), dataflow=dataflow, provider=provider)
    return history.select(HISTORY_SCHEMA.names).cast(HISTORY_SCHEMA)


def _connect(table: pa.Table, history: pa.Table | None, s: _Series) -> duckdb.DuckDBPyConnection:
    """`sub` (the submission with its series key and period index) and `combined` (plus the
    history it does not replace), as Arrow tables built from the arrays of `_series`."""
    n = table.num_rows
    t = pa.array(s.t, mask=s.t == _NO_T).cast(pa.int32())
    key = s.keys.take(pa.array(s.sid))
    sub = pa.table({
        "SERIES_KEY": key.slice(0, n), "FREQ": table.column("FREQ"),
        "REF_AREA": table.column("REF_AREA"), "INDICATOR": table.column("INDICATOR"),
        TIME_DIMENSION: table.column(TIME_DIMENSION), "t": t.slice(0, n),
        MEASURE: table.column(MEASURE), SOURCE_ROW: table.column(SOURCE_ROW),
        "OBS_STATUS": table.column("OBS_STATUS"),
    })  # fmt: skip
    m = s.history.num_rows
    source_row = table.schema.field(SOURCE_ROW).type
    history_freq = pc.list_element(
        pc.split_pattern(s.history.column("SERIES_KEY"), ".", max_splits=1), 0
    )
    combined = pa.table({
        "SERIES_KEY": key,
        "FREQ": _stack(table.column("FREQ"), history_freq, pa.string()),
        TIME_DIMENSION: _stack(
            table.column(TIME_DIMENSION), s.history.column(TIME_DIMENSION), pa.string()
        ),
        "t": t,
        MEASURE: _stack(table.column(MEASURE), s.history.column(MEASURE), pa.float64()),
        SOURCE_ROW: _stack(table.column(SOURCE_ROW), pa.nulls(m, source_row), source_row),
        "submitted": pa.array(s.submitted),
    })  # fmt: skip
    con = duckdb.connect()
    con.register("history", history if history is not None else empty_history())
    con.register("sub", sub)
    con.register("combined", combined)
    return con


def _stack(top, bottom, type_: pa.DataType) -> pa.ChunkedArray:
    """Two columns one above the other, without copying."""
    chunks = []
    for column in (top, bottom):
        column = column.cast(type_)
        chunks += column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    return pa.chunked_array(chunks, type_)


def check_history(
    table: pa.Table, file: str, history: pa.Table | None = None, sheet: str | None = None
) -> list[Finding]:
    """All level-3 rules; `history` is `fetch_history`'s table (None: the submission alone)."""
    series = _series(table, history)
    con = _connect(table, history, series)
    found = [
        *_revisions(con, file, sheet),
        *_outliers(table, series, file, sheet),
        *_level_shifts(con, file, sheet),
        *_stopped(con, file, sheet),
        *_missing_months(con, file, sheet),
    ]
    return found


def _capped(rule_id: str, rows: list[dict], make, file: str, sheet: str | None) -> list[Finding]:
    limit = max_findings_per_rule()
    out = [make(r) for r in rows[:limit]]
    if len(rows) > limit:
        n = len(rows) - limit
        out.append(Finding(
            rule_id, file, f"Y {n} casos más de esta regla.", f"And {n} more cases of this rule.",
            sheet=sheet, count=n,
        ))  # fmt: skip
    return out


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "?"


def _revisions(con, file: str, sheet: str | None) -> list[Finding]:
    p = rule("L3_REVISION").params
    rows = (
        con.sql(f"""
        SELECT s.SERIES_KEY, s.{TIME_DIMENSION}, s.{MEASURE} AS new, h.{MEASURE} AS old,
            h.PUBLISHED_AT, s.{SOURCE_ROW}
        FROM sub s JOIN history h
            ON h.SERIES_KEY = s.SERIES_KEY AND h.{TIME_DIMENSION} = s.{TIME_DIMENSION}
        WHERE abs(s.{MEASURE} - h.{MEASURE}) > {float(p["relative"])} * abs(h.{MEASURE})
            AND abs(s.{MEASURE} - h.{MEASURE}) > {float(p["absolute"])}
        ORDER BY s.{SOURCE_ROW}
    """)
        .to_arrow_table()
        .to_pylist()
    )
    return _capped("L3_REVISION", rows, lambda r: Finding(
        "L3_REVISION", file,
        f"La serie {r['SERIES_KEY']} en {r[TIME_DIMENSION]} pasa de {r['old']:,.2f} (publicado "
        f"el {_when(r['PUBLISHED_AT'])}) a {r['new']:,.2f}.",
        f"Series {r['SERIES_KEY']} in {r[TIME_DIMENSION]} goes from {r['old']:,.2f} (published "
        f"on {_when(r['PUBLISHED_AT'])}) to {r['new']:,.2f}.",
        sheet=sheet, row=r[SOURCE_ROW], column=MEASURE, series_key=r["SERIES_KEY"],
    ), file, sheet)  # fmt: skip


def _outliers(table: pa.Table, series: _Series, file: str, sheet: str | None) -> list[Finding]:
    rows = _outlier_rows(table, series)
    return _capped("L3_OUTLIER", rows, lambda r: Finding(
        "L3_OUTLIER", file,
        f"La serie {r['SERIES_KEY']} vale {r[MEASURE]:,.0f} en {r[TIME_DIMENSION]}, cuando su "
        f"historia hace esperar unos {r['expected']:,.0f} (puntuación z robusta {r['z']:.1f}).",
        f"Series {r['SERIES_KEY']} is {r[MEASURE]:,.0f} in {r[TIME_DIMENSION]} where its "
        f"history suggests about {r['expected']:,.0f} (robust z-score {r['z']:.1f}).",
        sheet=sheet, row=r[SOURCE_ROW], column=MEASURE, series_key=r["SERIES_KEY"],
    ), file, sheet)  # fmt: skip


def _level_shifts(con, file: str, sheet: str | None) -> list[Finding]:
    p = rule("L3_LEVEL_SHIFT").params
    factor = float(p["factor"])
    rows = (
        con.sql(f"""
        WITH last_published AS (
            SELECT SERIES_KEY, max(t) AS last_t FROM combined WHERE NOT submitted GROUP BY 1
        ), new AS (
            SELECT s.SERIES_KEY, median(s.{MEASURE}) AS new_median, count(*) AS n_new,
                min(s.{SOURCE_ROW}) AS first_row, bool_or(s.OBS_STATUS = 'B') AS has_break
            FROM sub s JOIN last_published l ON l.SERIES_KEY = s.SERIES_KEY AND s.t > l.last_t
            GROUP BY 1
        ), recent AS (
            SELECT c.SERIES_KEY, median(c.{MEASURE}) AS old_median FROM (
                SELECT *, row_number() OVER (PARTITION BY SERIES_KEY ORDER BY t DESC) AS k
                FROM combined WHERE NOT submitted) c
            WHERE k <= {int(p["recent"])} GROUP BY 1
        )
        SELECT n.*, r.old_median FROM new n JOIN recent r USING (SERIES_KEY)
        WHERE n.n_new >= {int(p["min_new"])} AND NOT coalesce(n.has_break, false)
            AND abs(n.new_median - r.old_median) > {float(p["absolute"])}
            AND (n.new_median > {factor} * r.old_median OR n.new_median * {factor} < r.old_median)
        ORDER BY first_row
    """)
        .to_arrow_table()
        .to_pylist()
    )
    return _capped("L3_LEVEL_SHIFT", rows, lambda r: Finding(
        "L3_LEVEL_SHIFT", file,
        f"La serie {r['SERIES_KEY']} pasa de una mediana de {r['old_median']:,.0f} en sus "
        f"últimos periodos publicados a {r['new_median']:,.0f} en sus {r['n_new']} periodos "
        "nuevos; si hubo un cambio de fuente o de definición, márquelo con OBS_STATUS=B.",
        f"Series {r['SERIES_KEY']} goes from a median of {r['old_median']:,.0f} in its last "
        f"published periods to {r['new_median']:,.0f} in its {r['n_new']} new periods; if the "
        "source or definition changed, mark it with OBS_STATUS=B.",
        sheet=sheet, row=r["first_row"], column=MEASURE, series_key=r["SERIES_KEY"],
    ), file, sheet)  # fmt: skip


def _stopped(con, file: str, sheet: str | None) -> list[Finding]:
    rows = (
        con.sql(f"""
        WITH covered AS (
            SELECT FREQ, REF_AREA, INDICATOR, min(t) AS first_t, max(t) AS last_t,
                max({TIME_DIMENSION}) AS last_period
            FROM sub GROUP BY ALL
        ), published AS (
            SELECT SERIES_KEY, split_part(SERIES_KEY, '.', 1) AS FREQ,
                split_part(SERIES_KEY, '.', 2) AS REF_AREA,
                split_part(SERIES_KEY, '.', 3) AS INDICATOR, max(t) AS last_t,
                max({TIME_DIMENSION}) AS last_period
            FROM combined WHERE NOT submitted GROUP BY 1
        )
        SELECT p.SERIES_KEY, p.last_period, c.last_period AS until
        FROM published p JOIN covered c USING (FREQ, REF_AREA, INDICATOR)
        WHERE p.last_t >= c.first_t - 1 AND p.last_t < c.last_t
            AND p.SERIES_KEY NOT IN (SELECT SERIES_KEY FROM sub)
        ORDER BY 1
    """)
        .to_arrow_table()
        .to_pylist()
    )
    return _capped("L3_SERIES_STOPPED", rows, lambda r: Finding(
        "L3_SERIES_STOPPED", file,
        f"La serie publicada {r['SERIES_KEY']} termina en {r['last_period']} y este envío no la "
        f"continúa, aunque llega hasta {r['until']} para el mismo indicador y país.",
        f"Published series {r['SERIES_KEY']} ends in {r['last_period']} and this submission "
        f"does not continue it, although it reaches {r['until']} for the same indicator and "
        "country.",
        sheet=sheet, series_key=r["SERIES_KEY"],
    ), file, sheet)  # fmt: skip


def _missing_months(con, file: str, sheet: str | None) -> list[Finding]:
    rows = (
        con.sql(f"""
        WITH ordered AS (
            SELECT SERIES_KEY, t, {SOURCE_ROW}, submitted,
                lead(t) OVER w AS next_t, lead(submitted) OVER w AS next_submitted,
                lead({SOURCE_ROW}) OVER w AS next_row
            FROM combined WHERE FREQ = 'M'
            WINDOW w AS (PARTITION BY SERIES_KEY ORDER BY t)
        )
        SELECT SERIES_KEY, next_t - t - 1 AS n_missing,
            printf('%04d-%02d', (t + 1) // 12, (t + 1) % 12 + 1) AS first_missing,
            printf('%04d-%02d', (next_t - 1) // 12, (next_t - 1) % 12 + 1) AS last_missing,
            coalesce(next_row, {SOURCE_ROW}) AS row
        FROM ordered WHERE next_t - t > 1 AND (submitted OR next_submitted)
        ORDER BY row
    """)
        .to_arrow_table()
        .to_pylist()
    )

    def span(r: dict) -> str:
        if r["n_missing"] == 1:
            return r["first_missing"]
        return f"{r['first_missing']} … {r['last_missing']}"

    return _capped("L3_MISSING_MONTH", rows, lambda r: Finding(
        "L3_MISSING_MONTH", file,
        f"A la serie mensual {r['SERIES_KEY']} le faltan {r['n_missing']} meses: {span(r)}.",
        f"Monthly series {r['SERIES_KEY']} lacks {r['n_missing']} months: {span(r)}.",
        sheet=sheet, row=r["row"], column=TIME_DIMENSION, series_key=r["SERIES_KEY"],
    ), file, sheet)  # fmt: skip


@dataclass(frozen=True)
class _Series:
    """Submission plus unreplaced history rows as arrays, keyed by one int per series key string.

    History rows replaced by a submitted value of the same series and period are left out.
    """

    keys: pa.Array  # SERIES_KEY string of each series id
    sid: np.ndarray
    freq: np.ndarray  # FREQ of each row, "" where none
    t: np.ndarray  # period index; _NO_T where the period has none
    value: np.ndarray
    submitted: np.ndarray
    row: np.ndarray  # index into the frame for submitted rows
    history: pa.Table  # the history rows the submission does not replace, in the arrays' order


_NO_T = np.iinfo(np.int64).max


def _period_index(periods: list[str | None]) -> np.ndarray:
    """The period index of distinct periods: months and quarters counted from year 0."""
    out = np.full(len(periods), _NO_T, dtype=np.int64)
    for i, p in enumerate(periods):
        if p is None:
            continue
        if len(p) == 4:
            out[i] = int(p)
        elif len(p) == 7:
            year = int(p[:4])
            out[i] = year * 4 + int(p[6]) - 1 if p[5] == "Q" else year * 12 + int(p[5:7]) - 1
    return out


def _texts(values: list[str | None]) -> np.ndarray:
    return np.array([v or "" for v in values], dtype=str)


def _by_series_and_time(sid: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The order of rows by (series, period) with one integer sort; no period sorts last."""
    known = t != _NO_T
    if not known.any():
        return np.argsort(sid, kind="stable")
    low = int(t[known].min())
    span = int(t[known].max()) - low + 2
    return np.argsort(sid * span + np.where(known, t - low, span - 1), kind="stable")


def _series(table: pa.Table, history: pa.Table | None) -> _Series:
    codes = series_codes(table)
    _, first, inverse = np.unique(codes.key(DIMENSIONS), return_index=True, return_inverse=True)
    names = pc.binary_join_element_wise(
        *[table.column(d).take(pa.array(first)) for d in DIMENSIONS], ".", null_handling="skip"
    )
    if isinstance(names, pa.ChunkedArray):
        names = names.combine_chunks()
    encoded = names.dictionary_encode()
    keys = encoded.dictionary
    sid = encoded.indices.to_numpy().astype(np.int64)[inverse.ravel()]
    periods = codes.values[TIME_DIMENSION]
    t = _period_index(periods)[codes.codes[TIME_DIMENSION]]
    freq = _texts(codes.values["FREQ"])[codes.codes["FREQ"]]
    value = table.column(MEASURE).to_numpy(zero_copy_only=False).astype(np.float64)
    n = table.num_rows
    submitted = np.ones(n, dtype=bool)
    row = np.arange(n, dtype=np.int64)
    h = empty_history()
    if history is not None and history.num_rows:
        h_sid = pc.index_in(history.column("SERIES_KEY"), value_set=keys)
        new = pc.is_null(h_sid)
        if pc.any(new).as_py():
            other = history.column("SERIES_KEY").filter(new).combine_chunks()
            other = other.dictionary_encode(null_encoding="encode")
            h_sid = pc.if_else(new, pc.add(pc.index_in(history.column("SERIES_KEY"),
                value_set=other.dictionary, skip_nulls=False), len(keys)), h_sid)  # fmt: skip
            keys = pa.concat_arrays([keys, other.dictionary])
        h_sid = h_sid.to_numpy(zero_copy_only=False).astype(np.int64)
        h_period = pc.index_in(
            history.column(TIME_DIMENSION), value_set=pa.array(periods, pa.string())
        )
        h_code = pc.fill_null(h_period, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        width = len(periods) + 1
        keep = ~np.isin(h_sid * width + h_code, sid * width + codes.codes[TIME_DIMENSION])
        h_sid = h_sid[keep]
        h = history.filter(pa.array(keep))
        h_t = _distinct_map(h.column(TIME_DIMENSION), _period_index, np.int64)
        first_part = pc.list_element(pc.split_pattern(h.column("SERIES_KEY"), ".", max_splits=1), 0)
        sid = np.concatenate([sid, h_sid])
        t = np.concatenate([t, h_t])
        freq = np.concatenate([freq, _distinct_map(first_part, _texts, str)])
        value = np.concatenate(
            [value, h.column(MEASURE).to_numpy(zero_copy_only=False).astype(np.float64)]
        )
        submitted = np.concatenate([submitted, np.zeros(len(h_sid), dtype=bool)])
        row = np.concatenate([row, np.full(len(h_sid), -1, dtype=np.int64)])
    return _Series(keys, sid, freq, t, value, submitted, row, h)


def _distinct_map(column: pa.ChunkedArray | pa.Array, fn, dtype) -> np.ndarray:
    """`fn` (list of distinct values -> array) applied to distinct values, spread to every row."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = column.dictionary_encode(null_encoding="encode")
    mapped = np.asarray(fn(encoded.dictionary.to_pylist()), dtype=dtype)
    return mapped[encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)]


def _median_of_runs(x: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Each row's median over its run of rows (runs begin at `starts`), as DuckDB's median.

    The runs are laid out as the rows of a matrix padded with +inf and sorted row by row, far
    cheaper than one sort by (run, value); a run much longer than the others falls back to that.
    """
    counts = np.diff(np.r_[starts, len(x)])
    run = np.repeat(np.arange(len(starts)), counts)
    if len(starts) * int(counts.max()) <= 4 * len(x) + 1_000_000:
        table = np.full((len(starts), int(counts.max())), np.inf)
        table[run, np.arange(len(x)) - np.repeat(starts, counts)] = x
        table.sort(axis=1)
        lo = table[np.arange(len(starts)), (counts - 1) // 2]
        hi = table[np.arange(len(starts)), counts // 2]
    else:
        ordered = x[np.lexsort((x, run))]
        lo, hi = ordered[starts + (counts - 1) // 2], ordered[starts + counts // 2]
    return np.repeat(lo + 0.5 * (hi - lo), counts)


def _runs(*keys: np.ndarray) -> np.ndarray:
    """Where a run of equal keys begins, for rows already sorted by them."""
    change = np.zeros(len(keys[0]), dtype=bool)
    change[0] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(change)


def _seasonal_median(dev: np.ndarray, sid: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Median of `dev` over the rows of the same series and phase (rows sorted by series)."""
    by_phase = np.argsort(phase.astype(np.uint8), kind="stable")  # series stay sorted within
    out = np.empty_like(dev)
    out[by_phase] = _median_of_runs(dev[by_phase], _runs(phase[by_phase], sid[by_phase]))
    return out


def _moving_median(lv: np.ndarray, first: np.ndarray, end: np.ndarray, w: int) -> np.ndarray:
    """Median of each row's window of `w` rows either side, within its series (rows sorted)."""
    rows = np.arange(len(lv))
    offsets = np.arange(-w, w + 1)
    padded = np.concatenate([np.full(w, np.inf), lv, np.full(w, np.inf)])
    window = np.lib.stride_tricks.sliding_window_view(padded, 2 * w + 1).copy()
    inside = (offsets >= (first - rows)[:, None]) & (offsets < (end - rows)[:, None])
    window[~inside] = np.inf
    window.sort(axis=1)
    k = inside.sum(axis=1)
    lo, hi = window[rows, (k - 1) // 2], window[rows, k // 2]
    return lo + 0.5 * (hi - lo)


def _outlier_rows(table: pa.Table, s: _Series) -> list[dict]:
    p = rule("L3_OUTLIER").params
    out: list[dict] = []
    for freq, season in (("M", 12), ("Q", 4), ("A", 0)):
        w = int(p["window"][freq])
        with np.errstate(invalid="ignore"):
            chosen = np.flatnonzero((s.freq == freq) & (s.value >= 0))
        order = chosen[_by_series_and_time(s.sid[chosen], s.t[chosen])]
        sid = s.sid[order]
        if not len(sid):
            continue
        starts = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]])
        counts = np.diff(np.r_[starts, len(sid)])
        enough = np.repeat(counts >= int(p["min_observations"][freq]), counts)
        order, sid = order[enough], sid[enough]
        if not len(order):
            continue
        starts = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]])
        counts = np.diff(np.r_[starts, len(sid)])
        first = np.repeat(starts, counts)
        t, value = s.t[order], s.value[order]
        lv = np.log(1 + value)
        level = _moving_median(lv, first, first + np.repeat(counts, counts), w)
        dev = lv - level
        if season:
            seasonal = _seasonal_median(dev, sid, np.where(t == _NO_T, season, t % season))
        else:
            seasonal = np.zeros_like(dev)
        r = dev - seasonal
        spread = np.abs(r - _median_of_runs(r, starts))
        scale = np.maximum(1.4826 * _median_of_runs(spread, starts), 0.02)
        expected = np.exp(level + seasonal) - 1
        z = spread / scale
        ratio = float(p["ratio"])
        hit = (
            s.submitted[order]
            & (z > float(p["z"]))
            & ((value > ratio * expected) | (value * ratio < expected))
            & (np.abs(value - expected) >= float(p["absolute"]))
        )
        found = np.flatnonzero(hit)
        rows = s.row[order][found]
        source = table.column(SOURCE_ROW).take(pa.array(rows)).to_pylist()
        periods = table.column(TIME_DIMENSION).take(pa.array(rows)).to_pylist()
        keys = s.keys.take(pa.array(sid[found])).to_pylist()
        columns = (keys, periods, value[found], source, expected[found], z[found])
        picked = [
            {"SERIES_KEY": k, TIME_DIMENSION: tp, MEASURE: float(v), SOURCE_ROW: sr,
             "expected": float(e), "z": float(zz)}
            for k, tp, v, sr, e, zz in zip(*columns, strict=True)
        ]  # fmt: skip
        picked.sort(key=lambda r: (r[SOURCE_ROW] is None, r[SOURCE_ROW] or 0))
        out += picked
    return out
