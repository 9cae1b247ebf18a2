"""Forms of the submission pages."""

from django import forms
from django.conf import settings
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
        self.fields["institution"].queryset = institutions or Institution.objects.none()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PRIMI_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is %(limit)s."),
                params={"size": upload.size, "limit": settings.PRIMI_UPLOAD_MAX_BYTES},
            )
        return upload


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
        countries = sorted(
            (c for c in std.codelist("CL_AREA").codes if c.is_country),
            key=lambda c: c.names.get(lang, c.names["en"]),
        )
        self.fields["country"].choices = [
            (c.id, c.names.get(lang, c.names["en"])) for c in countries
        ]
