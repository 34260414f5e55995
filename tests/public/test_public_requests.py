"""Asking for a visit on the open page, and the Admin's answer: the request is saved (never with
a NIK), limited per address; an Admin accepts it into the plan or declines it with a reason the
requester reads; an Admin limited to a kecamatan acts on its own kecamatan's requests only."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache

from kecamatan.models import AuditEvent, UserRegion, Visit, VisitRequest
from tests.conftest import PASSWORD
from tests.outreach.outreach_data import officer
from tests.public.public_data import MONDAY, on_day, request_form

NIK = "3311015708900003"  # NIK-shaped: Weru, born 17 August 1990, a woman


@pytest.fixture(autouse=True)
def no_counts_yet():
    """Each test starts with no request counted (the limit is kept in the cache)."""
    cache.clear()


@pytest.fixture
def public(settings, small_kabupaten):
    settings.PUBLIC_PAGE = True
    return settings


def _ask(client, **changes):
    with on_day(MONDAY):
        return client.post("/publik/minta-kunjungan/", request_form(**changes))


@pytest.fixture
def asked(client, public) -> VisitRequest:
    response = _ask(client)
    assert response.status_code == 302
    return VisitRequest.objects.get()


def test_a_school_asks_for_a_visit_and_reads_its_status(client, public):
    form = client.get("/publik/minta-kunjungan/").content.decode()
    assert 'name="nik"' not in form.lower() and "Jangan menulis NIK" in form
    response = _ask(client)
    saved = VisitRequest.objects.get()
    assert response["Location"] == f"/publik/permintaan/{saved.token}/"
    assert len(saved.token) >= 32
    assert (saved.status, saved.region_id, saved.expected) == ("new", "33.11.01.2001", 45)
    assert (saved.preferred_from, saved.preferred_to) == (
        dt.date(2025, 5, 19),
        dt.date(2025, 5, 23),
    )
    status = client.get(response["Location"]).content.decode()
    assert "Menunggu keputusan" in status and "SMA N 1 Weru" in status
    # The page opened by a link shows nothing of the requester.
    assert "Sri Wahyuni" not in status and "3456" not in status
    assert client.get("/publik/permintaan/bukan-token-yang-benar/").status_code == 404


@pytest.mark.parametrize("field", ["group_name", "location", "requester", "contact", "note"])
def test_a_nik_in_any_field_is_refused_and_nothing_is_saved(client, public, field):
    response = _ask(client, **{field: f"NIK {NIK}"})
    assert response.status_code == 200
    assert VisitRequest.objects.count() == 0
    html = response.content.decode()
    if field != "contact":  # a contact holding it is not a phone number either
        assert "Jangan menulis NIK di sini" in html


def test_a_nik_sent_in_a_field_of_its_own_is_not_kept(client, public):
    with on_day(MONDAY):
        response = client.post("/publik/minta-kunjungan/", {**request_form(), "nik": NIK})
    assert response.status_code == 302
    row = VisitRequest.objects.values().get()
    assert NIK not in str(row)


def test_requests_are_limited_per_address_with_a_clear_message(client, public):
    public.PUBLIC_REQUESTS_PER_HOUR = 2
    assert _ask(client).status_code == 302
    assert _ask(client, group_name="SMK N 2 Weru").status_code == 302
    refused = _ask(client, group_name="SMK N 3 Weru")
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan dari jaringan ini: paling banyak 2 per jam" in (
        refused.content.decode()
    )
    assert VisitRequest.objects.count() == 2
    with on_day(MONDAY):  # another address is not held back
        other = client.post("/publik/minta-kunjungan/", request_form(), REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 302 and VisitRequest.objects.count() == 3


def test_a_robot_filling_the_hidden_field_saves_nothing(client, public):
    response = _ask(client, situs="http://spam.example")
    assert response.status_code == 200 and VisitRequest.objects.count() == 0


def test_dates_in_the_past_or_in_the_wrong_order_are_refused(client, public):
    past = _ask(client, preferred_from="01/05/2025")
    assert "Pilih tanggal mulai hari ini atau sesudahnya." in past.content.decode()
    backwards = _ask(client, preferred_from="23/05/2025", preferred_to="19/05/2025")
    assert "Tanggal akhir harus sama dengan atau sesudah awal." in backwards.content.decode()
    assert VisitRequest.objects.count() == 0


def _decide(admin_client, request: VisitRequest, **form):
    with on_day(MONDAY):
        return admin_client.post(f"/jemput-bola/permintaan/{request.pk}/", form)


def test_an_admin_accepts_a_request_into_the_plan_and_the_requester_sees_the_day(
    client, admin_client, asked
):
    budi = officer("budi", "Budi", "Santoso")
    with on_day(MONDAY):
        listing = admin_client.get("/jemput-bola/").content.decode()
    link = listing[listing.index('data-testid="requests-link"') :].split("</a>")[0]
    assert "Permintaan warga" in link and ">1<" in link  # one waiting
    response = _decide(
        admin_client,
        asked,
        keputusan="terima",
        planned_on="20/05/2025",
        time_from="08:00",
        time_to="11:30",
        place="sekolah",
        officers=[budi.pk],
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    visit = asked.visit
    assert asked.status == "accepted" and visit is not None
    assert (visit.status, visit.origin, visit.planned_on) == (
        "planned",
        "request",
        dt.date(2025, 5, 20),
    )
    assert (visit.region_id, visit.location, visit.institution) == (
        "33.11.01.2001",
        "Aula SMA N 1 Weru",
        "SMA N 1 Weru",
    )
    assert visit.expected == 45 and list(visit.officers.all()) == [budi]
    assert visit.letter_number == f"Permintaan publik no. {asked.pk}"
    # The officers see whom to call on the visit's page (the request's contact, as typed).
    page = admin_client.get(f"/jemput-bola/kunjungan/{visit.pk}/").content.decode()
    assert "Sri Wahyuni" in page and "0812 3456 7890" in page
    assert AuditEvent.objects.filter(action="visit_request", target__startswith=str(asked.pk))
    status = client.get(f"/publik/permintaan/{asked.token}/").content.decode()
    assert "Diterima" in status and "Selasa, 20 Mei 2025" in status and "08.00–11.30" in status
    # A second decision (another click, another Admin) changes nothing.
    again = _decide(admin_client, asked, keputusan="tolak", reason="Petugas penuh")
    assert again.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "accepted" and Visit.objects.count() == 1


def test_accepting_follows_the_rules_of_any_planned_visit(admin_client, asked):
    response = _decide(
        admin_client, asked, keputusan="terima", planned_on="20/05/2025", place="sekolah"
    )
    assert "Bidang ini harus diisi." in response.content.decode()  # no officer chosen
    budi = officer("budi", "Budi", "Santoso")
    backwards = _decide(
        admin_client,
        asked,
        keputusan="terima",
        planned_on="20/05/2025",
        time_from="12:00",
        time_to="08:00",
        place="sekolah",
        officers=[budi.pk],
    )
    assert "Jam selesai harus sesudah jam mulai." in backwards.content.decode()
    past = _decide(
        admin_client,
        asked,
        keputusan="terima",
        planned_on="09/05/2025",
        place="desa",
        officers=[budi.pk],
    )
    assert "Tanggal kunjungan tidak boleh sebelum hari ini." in past.content.decode()
    asked.refresh_from_db()
    assert asked.status == "new" and Visit.objects.count() == 0


def test_an_admin_declines_with_a_reason_the_requester_reads(client, admin_client, asked):
    no_reason = _decide(admin_client, asked, keputusan="tolak", reason="")
    assert no_reason.status_code == 200
    asked.refresh_from_db()
    assert asked.status == "new"
    reason = "Jadwal Mei penuh; silakan datang ke Balai Desa Alasombo pada 27 Mei."
    assert _decide(admin_client, asked, keputusan="tolak", reason=reason).status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.decline_reason, asked.visit) == ("declined", reason, None)
    status = client.get(f"/publik/permintaan/{asked.token}/").content.decode()
    assert "Ditolak" in status and reason in status


def test_a_decline_reason_holding_a_nik_is_refused(admin_client, asked):
    response = _decide(admin_client, asked, keputusan="tolak", reason=f"NIK {NIK} tidak cocok")
    assert "Jangan menulis NIK di sini" in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == "new"


@pytest.fixture
def bulu_admin(db):
    """An Admin limited to Kecamatan Bulu (33.11.02)."""
    user = User.objects.create_user("admin_bulu", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Admin"))
    UserRegion.objects.create(user=user, region_id="33.11.02")
    return user


def test_an_admin_limited_to_a_kecamatan_acts_on_its_own_requests_only(client, asked, bulu_admin):
    puron = _ask(
        client,
        group_name="Karang Taruna Puron",
        location="Balai RW 02 Puron",
        region="33.11.02.2001",
        kind="komunitas",
    )
    assert puron.status_code == 302
    client.force_login(bulu_admin)
    listing = client.get("/jemput-bola/permintaan/").content.decode()
    assert "Karang Taruna Puron" in listing and "SMA N 1 Weru" not in listing
    assert client.get(f"/jemput-bola/permintaan/{asked.pk}/").status_code == 404
    refused = _decide(client, asked, keputusan="tolak", reason="Bukan wilayah kami")
    assert refused.status_code == 404
    asked.refresh_from_db()
    assert asked.status == "new"
    own = VisitRequest.objects.get(group_name="Karang Taruna Puron")
    assert (
        _decide(client, own, keputusan="tolak", reason="Sudah terjadwal bulan lalu").status_code
        == 302
    )


def test_the_request_pages_are_for_admins_only(client, asked, staf, petugas):
    for user in (staf, petugas):
        client.force_login(user)
        assert client.get("/jemput-bola/permintaan/").status_code == 403
        assert client.get(f"/jemput-bola/permintaan/{asked.pk}/").status_code == 403


def test_requesters_contacts_are_not_kept_past_a_year(client, public):
    from django.utils import timezone

    from kecamatan.tasks import visit_requests_forget_task

    now = timezone.now()
    for i, (asked_days, decided_days) in enumerate(
        [(400, 366), (400, 364), (366, None), (10, None)]
    ):
        with on_day(MONDAY):
            assert _ask(client, requester=f"Pemohon {i}").status_code == 302
        VisitRequest.objects.filter(requester=f"Pemohon {i}").update(
            created_at=now - dt.timedelta(days=asked_days),
            decided_at=None if decided_days is None else now - dt.timedelta(days=decided_days),
            status="new" if decided_days is None else "declined",
            decline_reason="" if decided_days is None else "Jadwal penuh.",
        )
    # The nightly task: decided over a year ago, or asked over a year ago and never decided.
    assert visit_requests_forget_task.delay().get() == 2
    assert sorted(VisitRequest.objects.values_list("requester", flat=True)) == [
        "Pemohon 1",
        "Pemohon 3",
    ]
