"""Isolation: every URL pattern and API route, walked as a provider of Guatemala and as an
anonymous visitor, never shows or changes Mexico's drafts, reports, findings, reviews or tokens,
and anonymous visitors get published data only. Mexico's focal point also has a practice copy
taken to its practice release: nobody else, a steward included, sees any of it anywhere.

The walk is built from the URL resolver itself, so a page added later is walked too: each
parameter of a route is filled with the ids and codes of Mexico's private objects, and every
answer is searched for the markers those objects carry. Then every route is sent a POST, and
Mexico's objects must be unchanged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from portal.explorer_frames import frame

from primi.audit.trail import record
from primi.findings.threads import open_or_update
from primi.sandbox.practice import current_copy
from primi.store.loading import load_frame
from primi.store.models import Submission
from primi.store.publication import publish_submission
from primi.tokens.credentials import issue
from primi.workflow.lifecycle import move, open_review
from primi.workflow.models import Institution, Membership, Review, Role, Upload

pytestmark = pytest.mark.django_db

MARK = "zq9mx"  # in every private text of Mexico
DRAFT_VALUE = 424_242.5
EMBARGO_VALUE = 515_151.5
PRACTICE_MARK = "pq7kx"  # in every text of Mexico's practice copy
PRACTICE_VALUE = 616_161.5
MEX_KEY = "M.MEX.RET_NAT._T._T._T._T"
GTM_KEY = "M.GTM.RET_NAT._T._T._T._T"
# Routes whose parameters are regular expressions: given as concrete paths.
SDMX_PATHS = (
    "/rest/data/DF_RETURNS",
    f"/rest/data/DF_RETURNS/{MEX_KEY}",
    f"/rest/data/DF_RETURNS/{MEX_KEY}?includeHistory=true",
    "/rest/data/PRIMI,DF_RETURNS,1.0/all?format=csvfilewithlabels",
    f"/rest/availableconstraint/DF_RETURNS/{MEX_KEY}",
    "/rest/v2/data/dataflow/PRIMI/DF_RETURNS/+/*",
)
# Pages that read their query string: asked about Mexico.
QUERIES = {
    "explorer": f"?dataflow=DF_RETURNS&key={MEX_KEY}",
    "download": f"?dataflow=DF_RETURNS&key={MEX_KEY}&format=csv",
    "search": "?q=mexico",
    "list_observations": f"?key={MEX_KEY}",
    "search_series": "?q=MEX",
}


def _texts(value: float) -> tuple[str, ...]:
    whole = f"{value:.1f}"
    return (whole, f"{value:,.1f}", f"{value:,.1f}".replace(",", " ").replace(".", ","),
            f"{value:,.1f}".replace(",", "#").replace(".", ",").replace("#", "."))  # fmt: skip


PRACTICE_SECRETS = (PRACTICE_MARK, *_texts(PRACTICE_VALUE))
SECRETS = (MARK, *_texts(DRAFT_VALUE), *_texts(EMBARGO_VALUE), *PRACTICE_SECRETS)


@dataclass
class World:
    gtm_user: object
    mex_user: object
    private: list = field(default_factory=list)  # Mexico's objects that must not change
    int_ids: set[int] = field(default_factory=set)
    uuids: set[uuid.UUID] = field(default_factory=set)


def _load(key: str, value: float, provider: str, name: str, period: str = "2024-01"):  # noqa: ANN202
    table = frame([(key, period, value, {})], provider)
    return load_frame(table, provider=provider, dataflow="DF_RETURNS", file_name=name)


@pytest.fixture
def world() -> World:
    users = get_user_model().objects
    gtm_inst = Institution.objects.create(
        code="GTM_IGM", name="IGM", country="GTM", dataflows=["DF_FLOWS"]
    )
    mex_inst = Institution.objects.create(
        code="MEX_UPM", name="UPM", country="MEX", dataflows=["DF_FLOWS"]
    )
    gtm_user = users.create_user("focal-gtm", password="a-long-password-for-gtm-1")
    mex_user = users.create_user(f"focal-{MARK}", password="a-long-password-for-mex-1")
    Membership.objects.create(user=gtm_user, institution=gtm_inst)
    Membership.objects.create(user=mex_user, institution=mex_inst)
    public = _load(GTM_KEY, 100.0, "GTM_IGM", "public.csv")
    publish_submission(public.submission, at=timezone.now() - dt.timedelta(days=1))
    draft = _load(MEX_KEY, DRAFT_VALUE, "MEX_UPM", f"{MARK}.csv")
    embargo = _load(MEX_KEY, EMBARGO_VALUE, "MEX_UPM", f"{MARK}-e.csv", period="2024-02")
    publish_submission(embargo.submission, at=timezone.now() + dt.timedelta(days=30))
    upload = Upload.objects.create(
        user=mex_user, institution=mex_inst, original_name=f"{MARK}.csv",
        file=ContentFile(f"private,{MARK}\n".encode(), name=f"{MARK}.csv"),
        state=Upload.State.DONE, submission=draft.submission,
        report={"findings": [{"rule": "L1_NUMBER", "message": f"cell {MARK}"}]},
    )  # fmt: skip
    review = open_review(draft.submission, mex_inst, upload=upload, actor=mex_user)
    token, _text = issue(mex_inst, f"{MARK} token", ["DF_RETURNS"], mex_user)
    finding = open_or_update([MEX_KEY], "steward", f"{MARK} finding between MEX and USA")
    event = record(None, "upload.created", obj=upload, institution=mex_inst, country="MEX",
                   summary=f"{MARK} sent")  # fmt: skip
    world = World(gtm_user, mex_user)
    world.private += [upload, draft.submission, embargo.submission, review, token, finding, event]
    world.uuids.add(upload.pk)
    world.int_ids |= {draft.submission.pk, embargo.submission.pk, review.pk, token.pk, finding.pk}
    _practise(world)
    return world


def _practise(world: World) -> None:
    """Mexico's focal point's practice copy: a file loaded and taken to the practice release."""
    practice = current_copy(world.mex_user).institution
    loaded = _load(MEX_KEY, PRACTICE_VALUE, practice.code, f"{PRACTICE_MARK}.csv", "2024-03")
    upload = Upload.objects.create(
        user=world.mex_user, institution=practice, original_name=f"{PRACTICE_MARK}.csv",
        file=ContentFile(f"practice,{PRACTICE_MARK}\n".encode(), name=f"{PRACTICE_MARK}.csv"),
        state=Upload.State.DONE, submission=loaded.submission,
        report={"findings": [{"rule": "L1_NUMBER", "message": f"cell {PRACTICE_MARK}"}]},
    )  # fmt: skip
    review = open_review(loaded.submission, practice, upload=upload, actor=world.mex_user)
    for action in ("submit", "certify", "accept"):
        move(review, action, world.mex_user, comment=PRACTICE_MARK)
    move(review, "schedule", world.mex_user, when=timezone.now() + dt.timedelta(hours=1))
    move(review, "release", world.mex_user)
    assert review.state == "published" and loaded.submission.published_at is None
    world.private += [upload, loaded.submission, review, practice]
    world.uuids.add(upload.pk)
    world.int_ids |= {loaded.submission.pk, review.pk}


def _routes(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _values(name: str, converter: object, world: World) -> list[str]:
    kind = type(converter).__name__
    if kind == "UUIDConverter":
        return [str(u) for u in world.uuids]
    if kind == "IntConverter":
        return [str(i) for i in sorted(world.int_ids)]
    by_name = {"code": ["MEX"], "key": [MEX_KEY], "series_key": [MEX_KEY], "period": ["2024-01"],
               "indicator_id": ["RET_NAT"], "uidb64": ["MQ"], "token": ["x"]}  # fmt: skip
    return by_name.get(name, ["MEX"])


def _urls(world: World) -> Iterator[str]:
    """Every route with its parameters filled every way the pool allows (pages in Spanish)."""
    for route, pattern in _routes(get_resolver().url_patterns):
        if type(pattern.pattern).__name__ == "RegexPattern" or "admin/" in route:
            continue
        paths = [route]
        for name, converter in pattern.pattern.converters.items():
            paths = [
                p.replace(f"<{kind}{name}>", value)
                for p in paths
                for kind in ("", "int:", "uuid:", "str:", "path:", "slug:")
                if f"<{kind}{name}>" in p
                for value in _values(name, converter, world)
            ]
        query = QUERIES.get(pattern.name or "", "")
        for path in paths:
            yield "/" + path + query
    yield from SDMX_PATHS


def _assert_nothing_private(
    client: Client, world: World, who: str, secrets: tuple[str, ...] = SECRETS
) -> int:
    walked = 0
    for url in _urls(world):
        response = client.get(url, HTTP_ACCEPT_ENCODING="identity")
        body = response.getvalue().decode("utf-8", "replace") if response.status_code != 302 \
            else ""  # fmt: skip
        leaked = [s for s in secrets if s in body]
        assert not leaked, f"{who} sees {leaked} at {url} ({response.status_code})"
        assert response.status_code < 500, f"{who}: {url} answered {response.status_code}"
        walked += 1
    return walked


def test_a_guatemalan_provider_sees_nothing_of_mexico_anywhere(world: World) -> None:
    client = Client()
    client.force_login(world.gtm_user)
    assert _assert_nothing_private(client, world, "GTM provider") > 60


def test_a_steward_sees_nothing_of_someone_elses_practice_anywhere(world: World) -> None:
    steward = get_user_model().objects.create_user("steward", password="a-long-password-st-1")
    Role.objects.create(user=steward, kind=Role.Kind.STEWARD)
    client = Client()
    client.force_login(steward)
    assert _assert_nothing_private(client, world, "steward", PRACTICE_SECRETS) > 60
    real = Review.objects.get(institution__code="MEX_UPM")  # the walk reads real answers
    assert MARK in client.get(f"/es/reviews/{real.pk}/").content.decode()


def test_anonymous_visitors_get_published_data_only(world: World) -> None:
    assert _assert_nothing_private(Client(), world, "anonymous") > 60
    public = Client().get("/rest/data/DF_RETURNS/" + GTM_KEY + "?format=csvfilewithlabels")
    assert "100" in public.getvalue().decode()  # the walk reads real answers


def test_a_guatemalan_provider_changes_nothing_of_mexico(world: World) -> None:
    before = [model_to_dict(obj) for obj in world.private]
    client = Client()
    client.force_login(world.gtm_user)
    answered = 0
    for url in _urls(world):
        response = client.post(url.split("?")[0], {"comment": MARK, "action": "certify",
                                                   "state": "accepted", "resolution": MARK,
                                                   "text": MARK, "name": MARK})  # fmt: skip
        assert response.status_code < 500, f"POST {url} answered {response.status_code}"
        answered += 1
    assert answered > 60
    for obj, snapshot in zip(world.private, before, strict=True):
        obj.refresh_from_db()
        assert model_to_dict(obj) == snapshot, f"{type(obj).__name__} {obj.pk} was changed"
    assert Submission.objects.filter(provider="MEX_UPM", state="published").count() == 1
