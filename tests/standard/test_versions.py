"""A change to the standard makes a new version; old versions stay readable."""

from pathlib import Path

import pytest
import yaml

from primi.standard.artefacts import CODELIST, artefacts_of
from primi.standard.catalogue import load_standard
from primi.standard.models import Artefact
from primi.standard.versions import get, latest, latest_versions, standard_as_of, sync_standard

pytestmark = pytest.mark.django_db


def _rename_female(data_dir: Path, name: str) -> None:
    path = data_dir / "codelists" / "CL_SEX.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(c for c in doc["codes"] if c["id"] == "F")["names"]["es"] = name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_first_sync_stores_every_artefact_as_1_0_and_second_sync_nothing():
    std = load_standard()
    created = sync_standard(std)
    assert len(created) == len(artefacts_of(std))
    assert {a.version for a in created} == {"1.0"}
    assert sync_standard(std) == []
    assert Artefact.objects.count() == len(created)


def test_changed_code_name_bumps_only_that_codelist(data_copy):
    sync_standard(load_standard(data_copy))
    _rename_female(data_copy, "Mujer")
    created = sync_standard(load_standard(data_copy))
    assert [(a.kind, a.artefact_id, a.version) for a in created] == [(CODELIST, "CL_SEX", "1.1")]
    assert latest(CODELIST, "CL_SEX").version == "1.1"
    assert latest(CODELIST, "CL_AGE").version == "1.0"
    assert latest_versions()[(CODELIST, "CL_SEX")] == "1.1"

    old = get(CODELIST, "CL_SEX", "1.0").content
    assert next(c for c in old["codes"] if c["id"] == "F")["names"]["es"] == "Mujeres"
    then = standard_as_of(versions={(CODELIST, "CL_SEX"): "1.0"})
    assert then.codelist("CL_SEX").get("F").names["es"] == "Mujeres"
    assert standard_as_of().codelist("CL_SEX").get("F").names["es"] == "Mujer"


def test_versions_keep_counting_and_as_of_a_time(data_copy):
    sync_standard(load_standard(data_copy))
    first = latest(CODELIST, "CL_SEX").created_at
    for name in ("Mujer", "Mujeres (F)"):
        _rename_female(data_copy, name)
        sync_standard(load_standard(data_copy))
    assert latest(CODELIST, "CL_SEX").version == "1.2"
    at_first = standard_as_of(when=first)
    assert at_first.codelist("CL_SEX").get("F").names["es"] == "Mujeres"


def test_standard_rebuilt_from_the_database_equals_the_files():
    std = load_standard()
    sync_standard(std)
    assert artefacts_of(standard_as_of()) == artefacts_of(std)
