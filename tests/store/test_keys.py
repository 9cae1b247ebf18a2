"""SDMX key patterns: positions, wildcards, `+`, `all`."""

import pytest

from primi.store.keys import KeyPatternError, parse_key


def test_all_and_empty_match_everything():
    for text in ("all", "", None, "*", "......"):
        pattern = parse_key(text)
        assert pattern.is_all and pattern.constraints() == {}
        assert pattern.matches("A.GTM.ENTRY.MEX._T._T._T")


def test_positions_and_alternatives():
    pattern = parse_key("M.GTM+MEX.ENTRY....")
    assert pattern.constraints() == {
        "FREQ": ("M",),
        "REF_AREA": ("GTM", "MEX"),
        "INDICATOR": ("ENTRY",),
    }
    assert pattern.matches("M.MEX.ENTRY.USA.F.Y0T4.UAC")
    assert not pattern.matches("M.HND.ENTRY.USA.F.Y0T4.UAC")
    assert not pattern.matches("A.GTM.ENTRY.USA.F.Y0T4.UAC")
    assert not pattern.matches("M.GTM.ENTRY")


def test_star_inside_a_position_is_a_wildcard():
    assert parse_key("M.*.ENTRY.*.*.*.*").constraints() == {"FREQ": ("M",), "INDICATOR": ("ENTRY",)}


@pytest.mark.parametrize("text", ["M.GTM", "M.GTM.ENTRY.MEX._T._T._T.extra"])
def test_wrong_number_of_positions_is_refused(text):
    with pytest.raises(KeyPatternError, match="7 expected"):
        parse_key(text)
