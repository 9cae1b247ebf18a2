"""A focal point's inbox: what is due (the calendar) and the open findings of their country,
never another country's, in the page's language."""

import lxml.html
import pytest
from django.test import Client
from region_people import region_people

from primi.deadlines.models import Obligation
from primi.findings.threads import open_or_update, settle

pytestmark = pytest.mark.django_db


def test_inbox_lists_what_guatemala_owes_and_its_open_findings_only():
    people = region_people()
    Obligation.objects.create(dataflow="DF_RETURNS", country="GTM", frequency="M", lag_days=30)
    Obligation.objects.create(dataflow="DF_STOCKS", country="MEX", frequency="A", lag_days=90)
    ours = open_or_update(["M.GTM.RET_NAT._T._T._T._T"], "steward", "Guatemala differs")
    settled = open_or_update(["M.GTM.RET_FOREIGN.HND._T._T._T"], "steward", "Old question")
    settle(settled, people.steward, "explained", "A new border post opened.")
    theirs = open_or_update(["M.MEX.RET_NAT._T._T._T._T"], "steward", "Mexico differs")
    client = Client()
    client.force_login(people.focal)
    page = client.get("/es/inbox/").content.decode()
    due = lxml.html.fromstring(page).xpath("//table[caption[contains(., 'calendario')]]")[0]
    rows = [tr.text_content() for tr in due.xpath("./tbody/tr")]
    assert rows and all("Retornos" in r and "Guatemala" in r for r in rows)  # in Spanish
    assert "atrasado" in rows[0]  # months of 2026 before this one are overdue: nothing was sent
    assert f"/es/findings/{ours.pk}/" in page
    assert f"/es/findings/{settled.pk}/" not in page and f"/es/findings/{theirs.pk}/" not in page
    english = client.get("/en/inbox/").content.decode()
    assert "Returns" in english and "overdue" in english


def test_coordinators_and_stewards_are_sent_on_to_their_own_view():
    """Signing in leads to the inbox; without an institution of their own, a coordinator and a
    steward land on their country's and the region's work, not on 'linked to nothing'."""
    people = region_people()
    for user, view in ((people.coordinator, "/es/country-work/"),
                       (people.steward, "/es/regional-work/")):  # fmt: skip
        client = Client()
        client.force_login(user)
        response = client.get("/es/inbox/")
        assert (response.status_code, response["Location"]) == (302, view)
        assert client.get(view).status_code == 200
    nobody = Client()
    nobody.force_login(people.focal.__class__.objects.create_user("nadie"))
    page = nobody.get("/es/inbox/").content.decode()
    assert "no está vinculada a ninguna institución" in page
