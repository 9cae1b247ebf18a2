"""The steward's filters over the trail: dates, user, institution and action."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from primi.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    """Every field optional; an action also matches the actions below it ("token" finds
    "token.created" and "token.revoked")."""

    date_from = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.CharField(required=False, max_length=150, label=_("User"))
    institution = forms.CharField(required=False, max_length=64, label=_("Institution code"))
    action = forms.CharField(required=False, max_length=64, label=_("Action"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.attrs["list"] = "audit-actions"

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def chosen(self) -> dict[str, object]:
        """The filters in use, for the export's own audit event."""
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_events(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    """The events matching a valid form, newest first."""
    data = form.cleaned_data
    events = AuditEvent.objects.all()
    if data.get("date_from"):
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    if data.get("user"):
        events = events.filter(username__icontains=data["user"].strip())
    if data.get("institution"):
        events = events.filter(institution__iexact=data["institution"].strip())
    if data.get("action"):
        action = data["action"].strip()
        events = events.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    return events.order_by("-at", "-id")


def known_actions() -> list[str]:
    """The actions the trail holds, for the action field's suggestions."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
