"""The upload form: a kind of file and the file, checked for type and size before it is kept."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..models import Upload
from ..vocabulary import format_number
from .readers import XLSX_MAX_ROWS

ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx"}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis berkas"), choices=Upload.Kind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("Berkas"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limits are settings: said before the admin picks a file, not after.
        self.fields["file"].help_text = _(
            "CSV (pemisah , ; atau tab) atau XLSX, hasil ekspor sistem nasional. Paling besar "
            "%(size)s dan %(rows)s baris (XLSX %(xlsx_rows)s baris); daftar yang lebih panjang "
            "diunggah per bagian, misalnya per kecamatan."
        ) % {
            "size": filesizeformat(settings.UPLOAD_MAX_BYTES),
            "rows": format_number(settings.UPLOAD_MAX_ROWS),
            "xlsx_rows": format_number(XLSX_MAX_ROWS),
        }

    def clean_file(self):
        return table_file_checked(self.cleaned_data["file"], max_bytes=settings.UPLOAD_MAX_BYTES)


def table_file_checked(uploaded, *, max_bytes: int):
    """A chosen file, if it is a CSV or XLSX of at most `max_bytes` (every form that takes a
    table: uploads, check my list)."""
    if Path(uploaded.name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise forms.ValidationError(_("Hanya berkas .csv, .txt atau .xlsx yang diterima."))
    if uploaded.size > max_bytes:
        raise forms.ValidationError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)}
        )
    return uploaded
