"""The figures behind a level-4 finding: both values of each pair, traced to file and row, shown
only to the countries involved and the stewards."""

from __future__ import annotations

import pytest
from mirror_data import MONTHS, mirror_values, rows_of, submit
from region_people import client_for

from primi.findings.models import Finding
from primi.findings.threads import open_finding
from primi.quality.runs import run_level4
from primi.workflow import lifecycle
from primi.workflow.lifecycle import Action
from primi.workflow.models import Review


@pytest.fixture
def finding(people, tmp_path, django_capture_on_commit_callbacks) -> Finding:
    """Mexico's removals published; Guatemala's returns accepted, not yet out, March off."""
    values = mirror_values()
    submit(rows_of("MEX", "RET_FOREIGN", values), tmp_path / "mex_removals.csv", "MEX_UPM")
    received = {
        ("MEX", m): float(round(values[("GTM", m)] * (0.6 if m == "2023-03" else 1)))
        for m in MONTHS
    }
    result = submit(
        rows_of("GTM", "RET_NAT", received), tmp_path / "gtm_returns.csv", "GTM_IGM", publish=False
    )
    review = lifecycle.open_review(result.load.submission, people.gtm)
    lifecycle.move(review, Action.SUBMIT, people.focal)
    lifecycle.move(review, Action.CERTIFY, people.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.move(review, Action.ACCEPT, people.steward)
    return Finding.objects.get(origin="L4_MIRROR_RETURNS")


def test_both_figures_traced_to_their_files(people, finding):
    page = client_for(people.coordinator).get(f"/en/quality/findings/{finding.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    values = mirror_values()
    march = values[("GTM", "2023-03")]
    assert f"{march:,.0f}" in html and f"{round(march * 0.6):,.0f}" in html
    assert "40.0" in html  # relative difference, per cent
    assert "mex_removals.csv, row " in html and "gtm_returns.csv, row " in html
    assert "not yet published" in html  # Guatemala's figures await their release
    assert 'href="/en/series/M.MEX.RET_FOREIGN.GTM._T._T._T/"' in html
    assert 'href="/en/series/M.GTM.RET_NAT.MEX._T._T._T/"' not in html  # no link to a draft
    spanish = client_for(people.steward).get(f"/es/quality/findings/{finding.pk}/").content
    assert "aún no publicada".encode() in spanish or "aún no publicado".encode() in spanish


def test_the_finding_page_links_to_its_figures(people, finding):
    html = client_for(people.mex_focal).get(f"/en/findings/{finding.pk}/").content.decode()
    assert f'href="/en/quality/findings/{finding.pk}/"' in html


def test_nobody_else_sees_them(people, finding, client):
    anonymous = client.get(f"/en/quality/findings/{finding.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert (
        client_for(people.hnd_coordinator).get(f"/en/quality/findings/{finding.pk}/").status_code
        == 404
    )
    assert (
        client_for(people.mex_focal).get(f"/en/quality/findings/{finding.pk}/").status_code == 200
    )
    by_hand = open_finding(["M.GTM.RET_NAT.MEX._T._T._T"], "Checked by hand", "Look.", by=None)
    assert client_for(people.steward).get(f"/en/quality/findings/{by_hand.pk}/").status_code == 404


def test_a_later_run_that_finds_agreement_says_so(people, finding, tmp_path):
    # The accepted file is sent back (it would otherwise be released over any other), and a
    # corrected one published.
    review = Review.objects.get(institution=people.gtm)
    lifecycle.move(review, Action.RETURN, people.steward, comment="March is wrong.")
    values = mirror_values()
    fixed = {("MEX", m): values[("GTM", m)] for m in MONTHS}
    submit(rows_of("GTM", "RET_NAT", fixed), tmp_path / "gtm_fixed.csv", "GTM_IGM")
    run_level4()
    html = client_for(people.steward).get(f"/en/quality/findings/{finding.pk}/").content.decode()
    assert "gtm_returns.csv" in html  # the figures that opened the finding stay readable
    assert "found these figures within the tolerance" in html
