from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.report.readers import MAX_BYTES
from partners.models import Region


def _last_year() -> int:
    return timezone.localdate().year - 1


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("report file"), help_text=_("The Committee's table as TSV, CSV, XLSX or DOCX; at most 5 MB.")
    )
    year = forms.IntegerField(label=_("report year"), min_value=1990, max_value=2100, initial=_last_year)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        return upload


class YearlyReportForm(forms.Form):
    """The yearly table to generate: its year, language, format and, optionally, regions."""

    FORMATS = [("docx", _("Word document (DOCX)")), ("xlsx", _("Excel workbook (XLSX)"))]

    year = forms.IntegerField(label=_("report year"), min_value=1990, max_value=2100, initial=_last_year)
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE)
    file_format = forms.ChoiceField(label=_("format"), choices=FORMATS, initial="docx")
    regions = forms.ModelMultipleChoiceField(
        label=_("regions"),
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("All regions when none is ticked."),
    )
