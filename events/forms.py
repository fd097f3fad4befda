from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.report.readers import MAX_BYTES


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
