"""`check_standard` finds real defects injected into a copy of the data files."""

from pathlib import Path

import yaml

from primi.standard.catalogue import load_standard
from primi.standard.integrity import ERROR, WARNING, Problem, check_standard, errors


def _edit_yaml(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _code(doc: dict, code_id: str) -> dict:
    return next(c for c in doc["codes"] if c["id"] == code_id)


def _indicator(doc: dict, indicator_id: str) -> dict:
    return next(i for i in doc["indicators"] if i["id"] == indicator_id)


def _found(problems: list[Problem], code: str, where: str) -> list[Problem]:
    return [p for p in problems if p.code == code and p.where == where]


def test_shipped_standard_has_no_problem():
    assert check_standard(load_standard()) == []


def test_copy_of_the_data_is_clean_before_breaking_it(data_copy):
    assert check_standard(load_standard(data_copy)) == []


def test_indicator_in_unknown_dataflow(data_copy):
    _edit_yaml(
        data_copy / "indicators.yaml",
        lambda d: _indicator(d, "ENTRY").update(dataflow="DF_NOPE"),
    )
    problems = check_standard(load_standard(data_copy))
    (problem,) = _found(problems, "UNKNOWN_DATAFLOW", "indicators/ENTRY.dataflow")
    assert "DF_NOPE" in problem.message_en and "DF_NOPE" in problem.message_es
    assert problem.severity == ERROR


def test_allowed_code_not_in_its_code_list(data_copy):
    _edit_yaml(
        data_copy / "indicators.yaml",
        lambda d: _indicator(d, "RES_PERMIT").update(pop_group=["_T", "TEMP", "PERM", "XYZ"]),
    )
    problems = check_standard(load_standard(data_copy))
    (problem,) = problems
    assert (problem.code, problem.where) == ("UNKNOWN_CODE", "indicators/RES_PERMIT.pop_group")
    assert "XYZ" in problem.message_en and "CL_POP_GROUP" in problem.message_en


def test_missing_spanish_name_is_an_error_and_missing_french_a_warning(data_copy):
    def drop(doc: dict) -> None:
        del _code(doc, "F")["names"]["es"]
        del _code(doc, "M")["names"]["fr"]

    _edit_yaml(data_copy / "codelists" / "CL_SEX.yaml", drop)
    problems = check_standard(load_standard(data_copy))
    assert [(p.code, p.where, p.severity) for p in problems] == [
        ("MISSING_TRANSLATION", "CL_SEX/F", ERROR),
        ("MISSING_TRANSLATION", "CL_SEX/M", WARNING),
    ]
    assert errors(problems) == problems[:1]


def test_aggregate_member_not_in_cl_area(data_copy):
    _edit_yaml(
        data_copy / "codelists" / "CL_AREA.yaml",
        lambda d: _code(d, "NCA")["members"].append("ZZZ"),
    )
    problems = check_standard(load_standard(data_copy))
    assert _found(problems, "UNKNOWN_CODE", "CL_AREA/NCA.members")
    assert "ZZZ" in _found(problems, "UNKNOWN_CODE", "CL_AREA/NCA.members")[0].message_en


def test_hierarchy_with_unknown_code(data_copy):
    def add_band(doc: dict) -> None:
        five = next(h for h in doc["hierarchies"] if h["id"] == "H_AGE_FIVE_YEAR")
        five["parts"].append("Y85T89")

    _edit_yaml(data_copy / "hierarchies.yaml", add_band)
    problems = check_standard(load_standard(data_copy))
    (problem,) = problems
    assert (problem.code, problem.where) == ("UNKNOWN_CODE", "hierarchies/H_AGE_FIVE_YEAR")
    assert "Y85T89" in problem.message_en


def test_new_age_band_needs_only_data(data_copy):
    def add_code(doc: dict) -> None:
        doc["codes"].append(
            {"id": "Y85T89", "names": {"es": "85 a 89 años", "en": "85 to 89", "fr": "85 à 89"}}
        )

    def add_band(doc: dict) -> None:
        five = next(h for h in doc["hierarchies"] if h["id"] == "H_AGE_FIVE_YEAR")
        five["parts"].append("Y85T89")

    _edit_yaml(data_copy / "codelists" / "CL_AGE.yaml", add_code)
    _edit_yaml(data_copy / "hierarchies.yaml", add_band)
    std = load_standard(data_copy)
    assert check_standard(std) == []
    five = next(h for h in std.hierarchies if h.id == "H_AGE_FIVE_YEAR")
    assert five.parts[-1] == "Y85T89"


def test_duplicate_code_id(data_copy):
    _edit_yaml(
        data_copy / "codelists" / "CL_SEX.yaml",
        lambda d: d["codes"].append(dict(_code(d, "F"))),
    )
    problems = check_standard(load_standard(data_copy))
    (problem,) = problems
    assert (problem.code, problem.where) == ("DUPLICATE_ID", "CL_SEX/F")


def test_counting_basis_must_follow_the_unit(data_copy):
    _edit_yaml(
        data_copy / "indicators.yaml",
        lambda d: _indicator(d, "ENTRY").update(counting_basis="PERSONS"),
    )
    problems = check_standard(load_standard(data_copy))
    (problem,) = problems
    assert (problem.code, problem.where) == (
        "COUNTING_BASIS_MISMATCH",
        "indicators/ENTRY.counting_basis",
    )


def test_agency_code_mapped_to_unknown_area(data_copy):
    _edit_yaml(data_copy / "agency_codes.yaml", lambda d: d["UNHCR"].update(SAL="SAV"))
    problems = check_standard(load_standard(data_copy))
    assert _found(problems, "UNKNOWN_CODE", "agency_codes/UNHCR/SAL")
