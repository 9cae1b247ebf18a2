"""An institution names the dataflows it is responsible for: ids of the standard, refused
otherwise with a message that names them, in the reader's language."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from primi.workflow.demo_accounts import (
    DATAFLOWS_BY_KIND,
    INSTITUTIONS,
    create_demo_accounts,
    create_demo_institutions,
)
from primi.workflow.models import Institution

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", "Flujo de datos desconocido: DF_NOWHERE, DF_DERIVED. Los flujos de datos son: "),
        ("en", "Unknown dataflow: DF_NOWHERE, DF_DERIVED. The dataflows are: "),
        ("fr", "Flux de données inconnu : DF_NOWHERE, DF_DERIVED. Les flux de données sont : "),
    ],
)
def test_an_unknown_dataflow_is_refused_by_name(lang, words):
    """The derived dataflow is computed by PRIMI: nobody is responsible for sending it."""
    institution = Institution(
        code="GTM_IGM",
        name="IGM",
        country="GTM",
        dataflows=["DF_FLOWS", "DF_NOWHERE", "DF_DERIVED"],
    )
    with translation.override(lang):
        with pytest.raises(ValidationError) as info:
            institution.full_clean()
        [message] = info.value.message_dict["dataflows"]
    assert message.startswith(words) and "DF_FLOWS, DF_RETURNS" in message
    institution.dataflows = {"DF_FLOWS": True}
    with translation.override("en"), pytest.raises(ValidationError, match="list of dataflow ids"):
        institution.full_clean()
    institution.dataflows = ["DF_FLOWS", "DF_RETURNS"]
    institution.full_clean()
    institution.save()
    assert Institution.objects.get().sends("DF_RETURNS")
    assert not Institution.objects.get().sends("DF_REMITTANCES")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", "Los códigos que empiezan por PRACTICE- son del espacio de práctica."),
        ("en", "Codes that start with PRACTICE- are kept for the training sandbox."),
    ],
)
def test_the_sandbox_prefix_is_refused_for_a_real_institution(lang, words):
    """Such an institution would never publish and would be hidden from everyone's real work."""
    institution = Institution(code="practice-gtm", name="x", country="GTM", dataflows=[])
    with translation.override(lang):
        with pytest.raises(ValidationError) as info:
            institution.full_clean()
        assert info.value.message_dict["code"] == [words]


def test_demo_institutions_name_their_kinds_dataflows(settings, tmp_path):
    settings.PRIMI_HOME = tmp_path
    Institution.objects.create(code="GTM_INE", name="INE", country="GTM", kind="statistics")
    create_demo_accounts()
    for code, _name, _country, kind in INSTITUTIONS:
        assert Institution.objects.get(code=code).dataflows == list(DATAFLOWS_BY_KIND[kind])
    assert Institution.objects.get(code="GTM_INE").dataflows == ["DF_STOCKS", "DF_SOCIOECON"]
    Institution.objects.filter(code="GTM_IGM").update(dataflows=["DF_FLOWS"])
    create_demo_institutions()  # a choice made since is kept
    assert Institution.objects.get(code="GTM_IGM").dataflows == ["DF_FLOWS"]
