"""The April 2025 report of the demo on paper, as a Kepala Dinas reads it: at most three A4
pages, none of them half empty, the 30% line and its label on the kecamatan chart, every legend
entry of the trend chart whole, and body text that is not shrunk (system Chromium, pypdf)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from pypdf import PdfReader

from kecamatan.vocabulary import format_people
from reports.issue import report_context, report_pdf
from reports.monthly import report_figures
from tests.conftest import reference_data_seed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def april(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            reference_data_seed()  # a transactional test before may have flushed it
            call_command("load_demo", stdout=io.StringIO())
            figures = report_figures(dt.date(2025, 4, 1))
            pdfs = {"id": report_pdf(report_context(figures=figures))}
            with translation.override("en"):
                pdfs["en"] = report_pdf(report_context(figures=figures))
            transaction.set_rollback(True)
    return figures, {language: PdfReader(io.BytesIO(pdf)) for language, pdf in pdfs.items()}


@pytest.fixture(scope="module")
def april_pdf(april):
    return april[1]["id"]


def _lines(page) -> list[tuple[float, float, str]]:
    """(y from the top in points, font size in points, text) of every piece of text."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            found.append((height - (tm[5] * cm[3] + cm[5]), size * scale, text.strip()))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_report_fits_on_three_pages_without_a_half_empty_one(april, language):
    pdf = april[1][language]
    assert len(pdf.pages) <= 3
    for page in pdf.pages:
        height = float(page.mediabox.height)
        body = [
            y
            for y, _size, text in _lines(page)
            if not text.startswith(("Halaman", "Page", "Dinas", "Department"))
        ]
        # The lowest line of the page's own text (header and page number left out).
        assert max(body) > height / 2, f"page used to {max(body) / height:.0%}"


def test_the_kecamatan_chart_reaches_the_target_line_and_names_it(april_pdf):
    # On paper the chart is half the page wide: its heading takes two lines.
    text = " ".join(" ".join(p.extract_text().split()) for p in april_pdf.pages)
    assert "Target 30%" in text
    assert "30%" in text.split("Capaian per kecamatan terhadap target", 1)[1]


def test_every_legend_entry_of_the_trend_chart_is_on_paper_whole(april_pdf):
    text = " ".join(" ".join(p.extract_text().split()) for p in april_pdf.pages)
    for entry in (
        "Sudah aktivasi (kumulatif)",
        "Lintasan target 25% s.d. 31/12/2024",
        "Lintasan target 30% s.d. 31/12/2025",
        "Proyeksi dengan laju 30 hari terakhir",
    ):
        assert entry in text


def test_body_text_is_ten_to_eleven_points(april_pdf):
    summary = [
        size for _y, size, text in _lines(april_pdf.pages[0]) if text.startswith("Capaian 4,9%")
    ]
    assert summary and all(10 <= size <= 11 for size in summary), summary
    text = april_pdf.pages[0].extract_text()
    # The figures a leader reports upward, in one vocabulary.
    assert "4,9%" in text and "170.400" in text and "641/hari" in text
    assert "Seharusnya sudah 79.213 orang pada 9 April 2025" in text


def test_the_segment_gaps_that_exceed_the_headline_gap_are_explained_on_paper(april):
    figures, pdfs = april
    text = " ".join(" ".join(p.extract_text().split()) for p in pdfs["id"].pages)
    summed = sum(s["gap_people"] for s in figures["segments"] if s["gap_people"] is not None)
    total = figures["totals"]["gap_people"]
    assert summed > total  # the demo has segments above their own target
    assert (
        f"Kekurangan per segmen berjumlah {format_people(summed)} orang, "
        f"{format_people(summed - total)} lebih banyak dari kekurangan total "
        f"({format_people(total)})"
    ) in text
