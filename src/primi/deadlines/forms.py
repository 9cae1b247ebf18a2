"""The calendar's filters: a country among the user's, and a window of due dates."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 5 * 366


def default_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last year and the next three months."""
    return today - dt.timedelta(days=365), today + dt.timedelta(days=92)


class WindowForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    start = forms.DateField(
        label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Due until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("all of yours"))] + countries
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = _("Write a date as YYYY-MM-DD.")

    def window(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The dates asked for, else `default_window`."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = default_window(today)
        return data.get("start") or start, data.get("end") or end

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The last date comes before the first one."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a window of at most five years."))
        return data
