"""Forms of the submission pages."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from primi.standard.catalogue import load_standard
from primi.workflow.models import Institution


class UploadForm(forms.Form):
    """A file, the institution it is sent for, and whether to check only."""

    institution = forms.ModelChoiceField(
        queryset=Institution.objects.none(), label=_("Institution")
    )
    file = forms.FileField(label=_("File (xlsx, CSV, SDMX-CSV, SDMX-ML or SDMX-JSON)"))
    check_only = forms.BooleanField(
        required=False, initial=True, label=_("Check only: change nothing in the database")
    )

    def __init__(self, *args, institutions=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        queryset = institutions if institutions is not None else Institution.objects.none()
        self.fields["institution"].queryset = queryset
        self.fields["institution"].empty_label = None
        self.fields["institution"].initial = queryset.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PRIMI_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.PRIMI_UPLOAD_MAX_BYTES),
                },
            )
        return upload


REGIONAL_AGGREGATES = ("RCM", "PRIMI", "CMC")


class TemplateForm(forms.Form):
    """Which template to download."""

    dataflow = forms.ChoiceField(label=_("Dataflow"))
    country = forms.ChoiceField(label=_("Country"))
    lang = forms.ChoiceField(label=_("Language"), choices=[("es", "Español"), ("en", "English")])

    def __init__(self, *args, lang: str = "es", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        std = load_standard()
        self.fields["dataflow"].choices = [
            (df.id, f"{df.id} – {df.names.get(lang, df.names['en'])}")
            for df in std.dataflows
            if df.id != "DF_DERIVED"
        ]
        area = std.codelist("CL_AREA")
        region = {m for agg in REGIONAL_AGGREGATES for m in area.get(agg).members}
        countries = sorted(
            (c for c in area.codes if c.is_country),
            key=lambda c: c.names.get(lang, c.names["en"]),
        )
        self.fields["country"].choices = [
            (_("The region"), [(c.id, c.names.get(lang, c.names["en"])) for c in countries
                               if c.id in region]),
            (_("Other countries"), [(c.id, c.names.get(lang, c.names["en"])) for c in countries
                                    if c.id not in region]),
        ]  # fmt: skip


class ExplanationForm(forms.Form):
    """One explanation per warning rule; a steward may accept the warnings instead."""

    def __init__(self, *args, rules: list[str], steward: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        for rule in rules:
            self.fields[rule] = forms.CharField(
                label=rule, required=not steward, widget=forms.Textarea(attrs={"rows": 2})
            )
        if steward:
            self.fields["override"] = forms.BooleanField(
                required=False, label=_("Accept the warnings as the regional steward")
            )

    def clean(self):
        data = super().clean()
        explained = all((data.get(rule) or "").strip() for rule in self.rules)
        if not explained and not data.get("override"):
            raise forms.ValidationError(_("Explain every rule, or accept the warnings."))
        return data
