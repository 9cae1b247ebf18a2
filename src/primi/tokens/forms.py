"""The form that creates a token: for one institution, limited (or not) to some of its dataflows."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from primi.standard.catalogue import load_standard
from primi.workflow.models import Institution, sendable_dataflows


def dataflow_choices(lang: str, institutions: QuerySet[Institution]) -> list[tuple[str, str]]:
    """The dataflows at least one of `institutions` is responsible for, in the standard's order."""
    theirs = {flow for inst in institutions for flow in inst.dataflows}
    theirs &= set(sendable_dataflows())
    return [
        (df.id, f"{df.id} – {df.names.get(lang, df.names['en'])}")
        for df in load_standard().dataflows
        if df.id in theirs
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
        help_text=_("None chosen: every dataflow its institution is responsible for."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, institutions: QuerySet[Institution], lang: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions
        self.fields["institution"].empty_label = None
        self.fields["dataflows"].choices = dataflow_choices(lang, institutions)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def clean(self) -> dict:
        """A token's limit is a part of its institution's dataflows, never more."""
        data = super().clean()
        institution, chosen = data.get("institution"), data.get("dataflows") or []
        others = [flow for flow in chosen if institution and flow not in institution.dataflows]
        if others:
            self.add_error(
                "dataflows",
                _(
                    "%(institution)s is not responsible for %(others)s: a token may send only "
                    "the dataflows of its institution (%(theirs)s)."
                )
                % {
                    "institution": institution.code,
                    "others": ", ".join(others),
                    "theirs": ", ".join(institution.dataflows) or "-",
                },
            )
        return data
