"""Findings: one thread per rule and series, seen and written only by the countries involved."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client

from primi.audit.append_only import AppendOnlyError
from primi.audit.models import AuditEvent
from primi.findings.keys import SeriesRange
from primi.findings.models import Finding, FindingKey, Message
from primi.findings.threads import ThreadError, open_or_update, post, settle
from primi.workflow.models import Institution, Membership, Role

pytestmark = pytest.mark.django_db

MEX_HND = "M.MEX.ENTRY.HND._T._T._T"
HND_MEX = "M.HND.EXIT.MEX._T._T._T"
GTM_MEX = "M.GTM.ENTRY.MEX._T._T._T"
PASSWORD = "a long passphrase 42"


def _user(name: str, institution: str | None = None, role: str | None = None, country=""):
    user = get_user_model().objects.create_user(name, password=PASSWORD, email=f"{name}@x.org")
    if institution:
        inst, _ = Institution.objects.get_or_create(
            code=institution, defaults={"name": institution, "country": institution[:3]}
        )
        Membership.objects.create(user=user, institution=inst)
    if role:
        Role.objects.create(user=user, kind=role, country=country)
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people() -> dict:
    return {
        "gtm": _user("focal-gtm", "GTM_IGM"),
        "mex": _user("focal-mex", "MEX_UPM"),
        "hnd_coord": _user("coord-hnd", role=Role.Kind.COORDINATOR, country="HND"),
        "steward": _user("steward", role=Role.Kind.STEWARD),
        "nobody": _user("nobody"),
    }


def test_same_rule_and_keys_update_the_open_finding(people) -> None:
    first = open_or_update(
        [SeriesRange(MEX_HND, "2024-01", "2024-03"), HND_MEX], "L3_OUTLIER", "Mirror gap."
    )
    assert sorted(first.countries.values_list("country", flat=True)) == ["HND", "MEX"]
    again = open_or_update(
        [HND_MEX, SeriesRange(MEX_HND, "2023-11", "2024-02")], "L3_OUTLIER", "Mirror gap."
    )
    assert again.pk == first.pk
    assert Finding.objects.count() == 1
    key = FindingKey.objects.get(finding=first, series_key=MEX_HND)
    assert (key.start_period, key.end_period) == ("2023-11", "2024-03"), "range widened"
    assert Message.objects.filter(finding=first).count() == 1, "same text not repeated"
    open_or_update([MEX_HND, HND_MEX], "L3_OUTLIER", {"es": "Sigue.", "en": "Still there."})
    assert Message.objects.filter(finding=first).count() == 2
    assert Message.objects.filter(finding=first).last().text == "Sigue.\n\nStill there."
    # Another rule, or other keys, is another finding.
    assert open_or_update([MEX_HND, HND_MEX], "L3_REVISION", "x").pk != first.pk
    assert open_or_update([MEX_HND], "L3_OUTLIER", "x").pk != first.pk
    assert Finding.objects.count() == 3


def test_settled_findings_are_not_reopened_by_a_check_that_fires_again(people) -> None:
    finding = open_or_update([SeriesRange(MEX_HND, "2024-01", "2024-06")], "L3_OUTLIER", "Gap.")
    settle(finding, people["steward"], Finding.State.ACCEPTED, "Different sources.")
    inside = open_or_update([SeriesRange(MEX_HND, "2024-02", "2024-03")], "L3_OUTLIER", "Gap.")
    assert inside.pk == finding.pk and inside.state == Finding.State.ACCEPTED
    later = open_or_update([SeriesRange(MEX_HND, "2024-07", "2024-07")], "L3_OUTLIER", "Gap.")
    assert later.pk != finding.pk and later.state == Finding.State.OPEN


def test_an_unknown_rule_or_a_key_outside_the_region_is_refused(people) -> None:
    with pytest.raises(ValueError, match="unknown origin"):
        open_or_update([MEX_HND], "NO_SUCH_RULE", "x")
    with pytest.raises(ThreadError):
        open_or_update(["M.ESP.ENTRY.FRA._T._T._T"], "L3_OUTLIER", "x")


def test_gtm_provider_sees_and_writes_only_findings_involving_gtm(people) -> None:
    theirs = open_or_update([MEX_HND], "L3_OUTLIER", "Between Mexico and Honduras.")
    ours = open_or_update([GTM_MEX], "L3_OUTLIER", "Between Guatemala and Mexico.")
    gtm = _client(people["gtm"])
    listing = html.unescape(gtm.get("/es/findings/").content.decode())
    assert f"/es/findings/{ours.pk}/" in listing and f"/es/findings/{theirs.pk}/" not in listing
    assert gtm.get(f"/es/findings/{theirs.pk}/").status_code == 404
    assert gtm.post(f"/es/findings/{theirs.pk}/post/", {"text": "hola"}).status_code == 404
    state = {"state": "accepted", "resolution": "ok"}
    assert gtm.post(f"/es/findings/{theirs.pk}/state/", state).status_code == 404
    assert theirs.messages.count() == 1
    theirs.refresh_from_db()
    assert theirs.state == Finding.State.OPEN
    page = gtm.get(f"/es/findings/{ours.pk}/")
    assert page.status_code == 200 and "Between Guatemala and Mexico." in page.content.decode()
    response = gtm.post(f"/es/findings/{ours.pk}/post/", {"text": "Revisamos los registros."})
    assert response.status_code == 302
    assert ours.messages.last().text == "Revisamos los registros."
    assert ours.messages.last().author == people["gtm"]
    with pytest.raises(PermissionDenied):
        post(theirs, people["gtm"], "sneaking in")
    assert theirs.messages.count() == 1


def test_coordinators_stewards_and_outsiders(people) -> None:
    finding = open_or_update([MEX_HND], "L3_OUTLIER", "Gap.")
    assert _client(people["hnd_coord"]).get(f"/en/findings/{finding.pk}/").status_code == 200
    assert _client(people["mex"]).get(f"/fr/findings/{finding.pk}/").status_code == 200
    assert _client(people["steward"]).get(f"/en/findings/{finding.pk}/").status_code == 200
    assert _client(people["nobody"]).get(f"/en/findings/{finding.pk}/").status_code == 404
    assert _client(people["nobody"]).get("/en/findings/new/").status_code == 404
    assert _client(people["gtm"]).get("/en/findings/new/").status_code == 404
    anonymous = Client().get(f"/en/findings/{finding.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_settling_needs_a_resolution_and_reopening_clears_it(people) -> None:
    finding = open_or_update([MEX_HND], "L3_OUTLIER", "Gap.")
    mex = _client(people["mex"])
    response = mex.post(f"/en/findings/{finding.pk}/state/", {"state": "explained"})
    assert response.status_code == 400
    assert "Say how the finding was resolved" in html.unescape(response.content.decode())
    finding.refresh_from_db()
    assert finding.state == Finding.State.OPEN
    with pytest.raises(ThreadError):
        settle(finding, people["mex"], Finding.State.CORRECTED, "   ")
    text = "Honduras counted exits at the border post of Agua Caliente twice."
    response = mex.post(
        f"/en/findings/{finding.pk}/state/", {"state": "corrected", "resolution": text}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.state, finding.resolution) == (Finding.State.CORRECTED, text)
    assert finding.resolved_at is not None
    assert finding.messages.last().state == Finding.State.CORRECTED
    settle(finding, people["steward"], Finding.State.OPEN, "")
    finding.refresh_from_db()
    assert (finding.state, finding.resolution, finding.resolved_at) == ("open", "", None)
    assert finding.messages.count() == 3, "the thread keeps every step"


def test_messages_are_append_only(people) -> None:
    finding = open_or_update([MEX_HND], "L3_OUTLIER", "Gap.")
    message = finding.messages.get()
    message.text = "rewritten"
    with pytest.raises(AppendOnlyError):
        message.save()
    with pytest.raises(AppendOnlyError):
        message.delete()
    assert Message.objects.get(pk=message.pk).text == "Gap."


def test_steward_opens_a_finding_with_a_message_per_bad_code(people) -> None:
    steward = _client(people["steward"])
    bad = steward.post(
        "/en/findings/new/",
        {
            "title": "Entries do not mirror exits",
            "keys": "M.GTM.ENTRY.XXX._T._T._T\nM.MEX.NOPE.GTM._T._T.ZZ 2024-01\nQ.GTM.ENTRY 2024",
            "text": "Please compare.",
        },
    )
    assert bad.status_code == 400
    page = html.unescape(bad.content.decode())
    assert "Line 1: “XXX” is not a code of Counterpart country (COUNTERPART_AREA)." in page
    assert "Line 2: “NOPE” is not a code of" in page and "(INDICATOR)" in page
    assert "Line 2: “ZZ” is not a code of" in page and "(POP_GROUP)" in page
    assert "Line 3: “Q.GTM.ENTRY” has 3 positions" in page
    assert Finding.objects.count() == 0
    spanish = steward.post(
        "/es/findings/new/",
        {"title": "t", "keys": "M.GTM.ENTRY._T._T._T._T 2024-Q1", "text": "x"},
    )
    assert spanish.status_code == 400
    assert (
        "Línea 1: «2024-Q1» no es un periodo de la serie M.GTM.ENTRY._T._T._T._T "
        "(por ejemplo 2024-01)." in html.unescape(spanish.content.decode())
    )
    good = steward.post(
        "/en/findings/new/",
        {
            "title": "Entries do not mirror exits",
            "keys": f"{GTM_MEX} 2024-01 2024-06\n{HND_MEX.lower()}",
            "text": "Please compare.",
        },
    )
    assert good.status_code == 302
    finding = Finding.objects.get()
    assert good["Location"] == f"/en/findings/{finding.pk}/"
    assert finding.origin == "steward" and finding.opened_by == people["steward"]
    assert sorted(finding.countries.values_list("country", flat=True)) == ["GTM", "HND", "MEX"]
    assert list(finding.keys.values_list("series_key", "start_period", "end_period")) == [
        (GTM_MEX, "2024-01", "2024-06"),
        (HND_MEX, "", ""),
    ]
    assert _client(people["gtm"]).get(f"/en/findings/{finding.pk}/").status_code == 200


def test_list_filters_by_state_and_country(people) -> None:
    gtm_open = open_or_update([GTM_MEX], "L3_OUTLIER", "a")
    mex_hnd = open_or_update([MEX_HND], "L3_OUTLIER", "b")
    settle(mex_hnd, people["steward"], Finding.State.EXPLAINED, "Different dates.")
    steward = _client(people["steward"])

    def ids(query: str) -> set[int]:
        page = steward.get("/en/findings/" + query).content.decode()
        return {f.pk for f in (gtm_open, mex_hnd) if f"/en/findings/{f.pk}/" in page}

    assert ids("") == {gtm_open.pk, mex_hnd.pk}
    assert ids("?state=explained") == {mex_hnd.pk}
    assert ids("?country=GTM") == {gtm_open.pk}
    assert ids("?country=MEX&state=open") == {gtm_open.pk}
    bad = steward.get("/en/findings/?state=lost")
    assert ids("?state=lost") == set() and "Select a valid choice" in bad.content.decode()


def test_forms_need_the_csrf_token(people) -> None:
    finding = open_or_update([GTM_MEX], "L3_OUTLIER", "a")
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["gtm"])
    assert client.post(f"/en/findings/{finding.pk}/post/", {"text": "x"}).status_code == 403
    page = client.get(f"/en/findings/{finding.pk}/").content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 3  # sign out, reply, state


def test_opening_writing_and_settling_are_in_the_audit_trail(people) -> None:
    steward, mex = _client(people["steward"]), _client(people["mex"])
    steward.post(
        "/en/findings/new/",
        {"title": "Returns do not mirror", "keys": f"{MEX_HND}\n{HND_MEX}", "text": "Compare."},
        REMOTE_ADDR="10.1.2.3",
    )
    finding = Finding.objects.get()
    mex.post(f"/en/findings/{finding.pk}/post/", {"text": "Checking."})
    mex.post(f"/en/findings/{finding.pk}/state/", {"state": "explained", "resolution": "Lag."})
    mex.post(f"/en/findings/{finding.pk}/state/", {"state": "explained", "resolution": ""})
    events = AuditEvent.objects.filter(object_type="findings.finding").order_by("id")
    assert [(e.action, e.username, e.object_id) for e in events] == [
        ("finding.opened", "steward", str(finding.pk)),
        ("finding.posted", "focal-mex", str(finding.pk)),
        ("finding.settled", "focal-mex", str(finding.pk)),
    ], "a refused change is not recorded"
    assert events[0].ip == "10.1.2.3" and events[0].detail["countries"] == ["HND", "MEX"]
    assert events[2].detail["state"] == "explained"
    page = html.unescape(steward.get("/es/audit/").content.decode())
    assert "Hallazgo abierto" in page and "Cambio de estado de un hallazgo" in page
