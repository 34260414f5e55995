"""The ranking page, the dashboard's card, the API and the report's section, as the office's
roles read them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kecamatan.models import PeerFigure
from kecamatan.pagecache import pages_changed
from kecamatan.peers.reference import kabkota_all
from kecamatan.progress.runs import progress_recompute
from reports.monthly import report_figures
from reports.summary import report_summary
from tests.peers.peer_data import END, peers_create


@pytest.fixture
def peers(small_kabupaten):
    progress_recompute(as_of=dt.date(2025, 4, 9))
    peers_create()


def test_every_office_role_reads_the_ranking_with_us_highlighted(client, peers, staf, petugas):
    for user in (staf, petugas):
        client.force_login(user)
        html = client.get("/peringkat/").content.decode()
        assert 'data-testid="peers-us"' in html
        assert "Penilaian 31 Maret 2025: 4,80%, peringkat 5/5." in html
        assert "Kabupaten Wonogiri" in html  # listed as without a figure


def test_the_page_says_when_there_is_no_table(staf_client, small_kabupaten):
    html = staf_client.get("/peringkat/").content.decode()
    assert 'data-testid="peers-empty"' in html


def test_an_earlier_table_is_shown_on_asking(staf_client, peers):
    html = staf_client.get("/peringkat/?tanggal=2025-03-15").content.decode()
    assert "per 15 Maret 2025" in html and 'data-testid="peers-evaluation"' in html
    # A date without a table: the latest.
    assert "per 31 Maret 2025" in staf_client.get("/peringkat/?tanggal=2025-03-16").content.decode()


def test_the_dashboard_card_gives_our_position_in_one_line(staf_client, peers):
    html = staf_client.get("/").content.decode()
    assert (
        "Penilaian 31 Maret 2025: peringkat 5 dari 5 di Jawa Tengah, 4,80%; median provinsi 6,00%."
        in html
    )
    assert "Naik satu peringkat pada 15 April 2025: +201 orang" in html


def test_the_page_runs_the_same_queries_for_five_peers_and_for_the_nation(staf_client, peers):
    def queries() -> int:
        pages_changed()  # rendered afresh, not from the page cache
        with CaptureQueriesContext(connection) as captured:
            assert staf_client.get("/peringkat/").status_code == 200
        return len(captured)

    def national(codes) -> None:
        PeerFigure.objects.filter(scope=PeerFigure.Scope.NATIONAL).delete()
        PeerFigure.objects.bulk_create(
            PeerFigure(
                scope=PeerFigure.Scope.NATIONAL, as_of=day, code=code, activated=9, denominator=100
            )
            for day in (dt.date(2025, 3, 15), END)
            for code in codes
        )

    national(["33.11", "33.01", "35.07"])
    queries()  # the first request of a session reads more (the user, the roles)
    few = queries()
    national(kabkota_all())
    assert queries() == few


def test_the_api_ranks_with_shared_ranks_and_pace(staf_client, peers):
    PeerFigure.objects.create(
        scope="province", as_of=END, code="33.05", activated=4_800, denominator=100_000
    )
    body = staf_client.get("/api/v1/peers/?scope=province").json()
    assert body["as_of"] == "2025-03-31" and body["scope"] == "province"
    items = {i["code"]: i for i in body["items"]}
    assert (items["33.11"]["rank"], items["33.05"]["rank"]) == (5, 5)  # both 4,8%
    assert items["33.01"]["pace_per_day"] == 31.25 and items["33.04"]["pace_per_day"] is None
    assert items["33.11"] == {
        "code": "33.11",
        "name": "Kabupaten Sukoharjo",
        "province": "Jawa Tengah",
        "denominator_people": 100_000,
        "activated": 4_800,
        "percent": 4.8,
        "rank": 5,
        "pace_per_day": 18.75,  # (4.800 − 4.500) / 16 days, 15 to 31 March
    }
    assert body["us"] == {
        "code": "33.11",
        "rank": 5,
        "of": 6,
        "percent": 4.8,
        "median_percent": 5.5,  # between Banjarnegara's 5% and Cilacap's 6%
    }
    assert staf_client.get("/api/v1/peers/?as_of=2025-03-15").json()["us"]["rank"] == 4
    assert staf_client.get("/api/v1/peers/?scope=kota").status_code == 400
    missing = staf_client.get("/api/v1/peers/?scope=national")
    assert missing.status_code == 404 and missing.json()["dates"] == []


def test_the_report_has_our_rank_and_what_the_next_evaluation_needs(staf_client, peers):
    figures = report_figures(dt.date(2025, 4, 1))
    assert (figures["peers"]["rank"], figures["peers"]["of"]) == (5, 5)
    assert figures["peers"]["needs"]["up_one"] == 201
    assert (
        "Di Jawa Tengah per 31 Maret 2025: peringkat 5 dari 5 (4,80%; median provinsi 6,00%); "
        "naik satu peringkat pada 15 April 2025 butuh +201 orang."
    ) in report_summary(figures)
    html = staf_client.get("/laporan/2025/4/").content.decode()
    assert 'data-testid="report-peers"' in html
    # March's report ends on 31 March: the same table. February's table has no row for us.
    assert report_figures(dt.date(2025, 3, 1))["peers"]["as_of"] == "2025-03-31"
    assert report_figures(dt.date(2025, 2, 1))["peers"] is None


def test_the_table_can_be_ordered_by_the_people_still_needed(staf_client, peers):
    import re

    html = staf_client.get("/peringkat/?urut=kekurangan").content.decode()
    table = html[html.index('data-testid="peers-province"') :]
    names = re.findall(r'<th scope="row" data-sort="([^"]+)"', table)
    # Still needed for 30%: Banyumas 20.000, Cilacap 24.000, Sukoharjo 25.200, Purbalingga
    # 10.800, Banjarnegara 12.500 — the most first; the ranks stay those of the percentage.
    assert names[:5] == [
        "Kabupaten Sukoharjo",
        "Kabupaten Cilacap",
        "Kabupaten Banyumas",
        "Kabupaten Banjarnegara",
        "Kabupaten Purbalingga",
    ]
    assert 'aria-current="true" class="active" data-testid="peers-sort-kekurangan"' in html


def test_the_page_comes_from_the_cache_until_the_data_changes(staf_client, peers):
    assert "4,80%" in staf_client.get("/peringkat/").content.decode()
    with CaptureQueriesContext(connection) as cached:
        assert staf_client.get("/peringkat/").status_code == 200
    assert len(cached) <= 3, [q["sql"][:80] for q in cached]  # the user, its roles, the session
    # A new table bumps the generation when it is saved (uploads/peers.py): the page follows.
    PeerFigure.objects.filter(as_of=END, code="33.11").update(activated=5_900)
    pages_changed()
    assert "5,90%" in staf_client.get("/peringkat/").content.decode()
