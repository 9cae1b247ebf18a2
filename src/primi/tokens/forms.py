"""The form that creates a token."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from primi.standard.catalogue import load_standard
from primi.workflow.models import Institution


def dataflow_choices(lang: str) -> list[tuple[str, str]]:
    """The dataflows a provider sends (not the derived one PRIMI computes)."""
    return [
        (df.id, f"{df.id} – {df.names.get(lang, df.names['en'])}")
        for df in load_standard().dataflows
        if df.id != "DF_DERIVED"
    ]


class TokenForm(forms.Form):
    institution = forms.ModelChoiceField(
        queryset=Institution.objects.none(), label=_("Institution")
    )
    name = forms.CharField(
        max_length=100,
        label=_("Name"),
        help_text=_("What the token is for, e.g. the program or server that uses it."),
    )
    dataflows = forms.MultipleChoiceField(
        required=False,
        label=_("Dataflows it may send"),
        help_text=_("None chosen: any dataflow."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, institutions: QuerySet[Institution], lang: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["institution"].empty_label = None
        self.fields["dataflows"].choices = dataflow_choices(lang)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
