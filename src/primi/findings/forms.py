"""Forms of the findings pages: filters, a message, a change of state, a new finding."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from primi.findings.keys import BadKey, SeriesRange, parse_lines
from primi.findings.models import Finding

TEXT_LIMIT = 5000


class FilterForm(forms.Form):
    """The list's filters; the countries offered are those the user works for."""

    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("any"))] + Finding.State.choices
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("any"))] + countries


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a message before sending it.")},
    )


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=Finding.State.choices)
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required to settle the finding: it is published with the series' metadata "
            "(never the discussion)."
        ),
    )

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("state") not in (None, Finding.State.OPEN)
            and not (data.get("resolution") or "").strip()
        ):
            self.add_error(
                "resolution",
                _("Say how the finding was resolved: the text is shown with the series."),
            )
        return data


class NewFindingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    keys = forms.CharField(
        label=_("Series keys"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One SDMX series key per line, optionally followed by the first and last period, "
            "e.g. M.GTM.ENTRY.MEX._T._T._T 2024-01 2024-06"
        ),
    )
    text = forms.CharField(
        label=_("What does not agree"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_keys(self) -> list[SeriesRange]:
        try:
            return parse_lines(self.cleaned_data["keys"])
        except BadKey as error:
            raise ValidationError(error.messages) from None
