"""What a person sees when something goes wrong: the debug page and error emails with every
possible NIK masked, and our own styled pages for 403 (templates/403.html) and 404."""

from django.views.debug import ExceptionReporter

from kecamatan.nik import nik_mask_text


class NikMaskingExceptionReporter(ExceptionReporter):
    """Django's reporter, its output passed through the NIK mask: local variables, the exception's
    message and the request all may hold a value read from an uploaded file."""

    def get_traceback_html(self):
        return nik_mask_text(str(super().get_traceback_html()))

    def get_traceback_text(self):
        return nik_mask_text(str(super().get_traceback_text()))
