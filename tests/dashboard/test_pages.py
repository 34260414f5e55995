"""The dashboard pages as a signed-in member of staff sees them (HTML, without a browser)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kecamatan.models import Region
from kecamatan.progress.runs import progress_recompute


@pytest.fixture
def recomputed(small_kabupaten):
    progress_recompute(as_of=dt.date(2025, 4, 9))


def test_the_dashboard_needs_a_login(client, recomputed):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_the_dashboard_shows_headline_figures_in_indonesian_format(staf_client, recomputed):
    html = staf_client.get("/").content.decode()
    assert "Kabupaten Sukoharjo" in html
    assert "2.300" in html  # holders
    assert "12,2%" in html  # 280 / 2300
    assert "410" in html  # gap in people
    assert "Data lengkap s.d. 9 April 2025" in html
    # At the current pace: 11 December 2025, said as its month, before the deadline.
    assert "tercapai sekitar Desember 2025, sebelum tenggat 31 Desember 2025" in html


def test_english_is_one_click_away_and_uses_english_numbers(staf_client, recomputed):
    staf_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = staf_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "12.2%" in html
    assert "around December 2025, before the deadline of 31 December 2025" in html


def test_a_browser_asking_for_english_still_gets_indonesian_by_default(staf_client, recomputed):
    html = staf_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html


def test_a_kecamatan_page_lists_its_desa(staf_client, recomputed):
    html = staf_client.get("/wilayah/33.11.01/").content.decode()
    assert "Kecamatan Weru" in html
    assert "Alasombo" in html and "Tegalsari" in html
    assert 'href="/wilayah/33.11.01.2001/"' in html


def test_an_unknown_region_is_404(staf_client, recomputed):
    assert staf_client.get("/wilayah/99.99/").status_code == 404


def test_plotly_is_served_from_our_own_static_files(staf_client, recomputed, settings):
    settings.WHITENOISE_USE_FINDERS = True  # as if collectstatic had run
    html = staf_client.get("/").content.decode()
    assert "/static/vendor/plotly.min.js" in html
    assert "cdn" not in html.lower()
    response = staf_client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200


def test_no_template_or_static_file_names_an_address_outside_this_server():
    # Offices are on closed networks: no CDN, font or map server, not even as a default of an
    # option we do not use (static/vendor/plotly.min.js is cleaned by `make plotly`). XML
    # namespace names are identifiers, and licence comments and notices (plotly.LICENSE.txt,
    # plotly.THIRD-PARTY.txt) keep their authors' addresses.
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    namespaces = r"www\.w3\.org/(?:2000/svg|2000/xmlns/|1999/xlink|1999/xhtml|XML/1998)"
    # With a scheme, or protocol-relative ("//cdn…") right after a quote, bracket or "=".
    outside = re.compile(
        rf"(?:https?:|(?<=[\"'(=\s]))//(?!{namespaces})[a-z0-9-]+(?:\.[a-z0-9-]+)+"
        # or a host named without a scheme ("fetched from cdn.plot.ly", "dukcapil.go.id")
        rf"|(?<![\w./@-])(?!www\.w3\.org)(?:[a-z0-9-]+\.)+(?:com|net|org|io|ly|dev|cc|app"
        rf"|(?:go|co|ac|or)\.id)\b",
        re.I,
    )
    found = {}
    for folder in ("templates", "static"):
        for path in (root / folder).rglob("*"):
            if path.suffix not in {".html", ".js", ".css", ".svg", ".txt", ".json"}:
                continue
            text = path.read_text(encoding="utf-8").split("/*! Bundled license information")[0]
            if path.name.endswith(("LICENSE.txt", "THIRD-PARTY.txt")):  # notices, never fetched
                continue
            hits = outside.findall(text)
            if hits:
                found[str(path.relative_to(root))] = sorted(set(hits))[:5]
    assert found == {}


def test_the_dashboard_runs_the_same_number_of_queries_whatever_the_number_of_kecamatan(
    staf_client, recomputed
):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert staf_client.get("/").status_code == 200
        return len(queries)

    few = count_queries()
    for i in range(3, 40):
        Region.objects.create(
            code=f"33.11.{i:02d}",
            name=f"Kecamatan {i}",
            level="kecamatan",
            depth=3,
            parent_id="33.11",
        )
    progress_recompute(as_of=dt.date(2025, 4, 9))
    assert count_queries() == few


def test_a_page_travels_compressed_to_a_browser_that_accepts_it(staf_client, recomputed):
    """On a 400 kbit/s link the dashboard's HTML is most of what a phone waits for."""
    plain = staf_client.get("/")
    packed = staf_client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 3
