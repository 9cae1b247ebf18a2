"""Findings pages: the list, one finding with its thread, a new finding (stewards).

Every finding is looked up through `access.visible_findings`, so one outside the user's
countries answers 404 like one that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from primi.audit.trail import record
from primi.checks.rules import rules
from primi.findings.access import may_open, visible_findings
from primi.findings.forms import FilterForm, MessageForm, NewFindingForm, StateForm
from primi.findings.models import Finding, FindingCountry
from primi.findings.threads import ThreadError, open_finding, post, settle
from primi.portal.code_names import area_name


def _own(request: HttpRequest, finding_id: int) -> Finding:
    return get_object_or_404(visible_findings(request.user), pk=finding_id)


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    lang = get_language() or "es"
    findings = visible_findings(request.user)
    codes = (
        FindingCountry.objects.filter(finding__in=findings)
        .values_list("country", flat=True)
        .distinct()
        .order_by("country")
    )
    form = FilterForm(request.GET or None, countries=[(c, area_name(c, lang)) for c in codes])
    if form.is_valid():
        if form.cleaned_data["state"]:
            findings = findings.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["country"]:
            findings = findings.filter(countries__country=form.cleaned_data["country"])
    elif form.is_bound:
        findings = findings.none()
    rows = findings.prefetch_related("keys", "countries")[:200]
    return render(
        request,
        "findings/list.html",
        {"form": form, "findings": rows, "may_open": may_open(request.user)},
    )


def _detail(request: HttpRequest, finding: Finding, **forms) -> HttpResponse:
    lang = get_language() or "es"
    context = {
        "finding": finding,
        "keys": finding.keys.all(),
        "countries": [(c.country, area_name(c.country, lang)) for c in finding.countries.all()],
        "thread": finding.messages.select_related("author"),
        "message_form": forms.get("message_form") or MessageForm(),
        "state_form": forms.get("state_form") or StateForm(initial={"state": finding.state}),
        "compares_countries": finding.origin in rules() and rules()[finding.origin].level == 4,
    }
    return render(request, "findings/detail.html", context, status=400 if forms else 200)


def _audit(request: HttpRequest, action: str, finding: Finding, **detail: str) -> None:
    countries = sorted(finding.countries.values_list("country", flat=True))
    record(
        request,
        action,
        obj=finding,
        country=countries[0] if len(countries) == 1 else "",
        summary=finding.title,
        countries=countries,
        **detail,
    )


@login_required
def finding_detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _detail(request, _own(request, finding_id))


@login_required
@require_POST
def finding_post(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = _own(request, finding_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _detail(request, finding, message_form=form)
    try:
        post(finding, request.user, form.cleaned_data["text"])
    except ThreadError as error:
        form.add_error("text", str(error))
        return _detail(request, finding, message_form=form)
    _audit(request, "finding.posted", finding)
    return redirect("findings:detail", finding_id=finding.pk)


@login_required
@require_POST
def finding_state(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = _own(request, finding_id)
    form = StateForm(request.POST)
    if not form.is_valid():
        return _detail(request, finding, state_form=form)
    try:
        finding = settle(
            finding, request.user, form.cleaned_data["state"], form.cleaned_data["resolution"]
        )
    except ThreadError as error:
        form.add_error(None, str(error))
        return _detail(request, finding, state_form=form)
    _audit(request, "finding.settled", finding, state=finding.state)
    return redirect("findings:detail", finding_id=finding.pk)


@login_required
def finding_new(request: HttpRequest) -> HttpResponse:
    if not may_open(request.user):
        raise Http404
    form = NewFindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = open_finding(data["keys"], data["title"], data["text"], by=request.user)
        except ThreadError as error:
            form.add_error("keys", str(error))
        else:
            _audit(request, "finding.opened", finding)
            return redirect("findings:detail", finding_id=finding.pk)
    return render(request, "findings/new.html", {"form": form}, status=400 if form.errors else 200)
