"""Reminders where officers read them: the day before a planned visit each of its officers gets a
WhatsApp message, and the office's group gets yesterday's recap. Every message is an outbox row;
one that fails is tried again, then shown to the Admin, who can send it again.

The WhatsApp gateway is a real HTTP server on 127.0.0.1 (as Fonnte or Wablas would answer),
which records what it received and answers as a test tells it to.
"""

import datetime as dt
import html
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine

from kecamatan.models import OfficerContact, OutboxMessage, Visit
from kecamatan.outreach.tasks import outreach_recap_task, visit_reminders_task
from kecamatan.progress.runs import progress_recompute
from tests.outreach.outreach_data import D, officer, outreach_visits_create, visit

TOKEN = "token-perangkat-uji"  # noqa: S105 - the fake gateway's
BUDI_NUMBER = "6281234567890"
GROUP = "120363040000000000@g.us"
# Sunday 13 April 2025, 15:00 WIB: V5 (Balai Desa Puron, budi, 50 expected) is tomorrow.
SUNDAY_AFTERNOON = dt.datetime(2025, 4, 13, 8, 0, tzinfo=dt.UTC)
WHATSAPP = "ikd_dashboard.messaging.WhatsAppSender"


class FakeGateway:
    """What the gateway received (the Authorization header and the JSON body of each POST), and
    what it answers next: `status`, with `answer` as its JSON body."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 200
        self.answer = {"status": True, "detail": "success! message in queue"}
        self.url = ""

    @property
    def messages(self) -> list[str]:
        return [r["json"]["message"] for r in self.received]


@pytest.fixture
def gateway():
    fake = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            fake.received.append(
                {"authorization": self.headers.get("Authorization"), "json": json.loads(body)}
            )
            answer = json.dumps(fake.answer).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}/send"
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def whatsapp(gateway, settings):
    """The office's WhatsApp gateway as MESSAGE_SENDER."""
    settings.MESSAGE_SENDER = WHATSAPP
    settings.WHATSAPP_GATEWAY_URL = gateway.url
    settings.WHATSAPP_GATEWAY_TOKEN = TOKEN
    return gateway


@pytest.fixture
def visits(small_kabupaten, petugas, admin_user):
    found = outreach_visits_create(petugas=petugas, admin=admin_user)
    OfficerContact.objects.create(user=officer("budi", "Budi", "Santoso"), whatsapp=BUDI_NUMBER)
    return found


def reminders_run(django_capture_on_commit_callbacks, day: str | None = None):
    """What beat does at 15:00 (tasks run in-process, their follow-up sends after commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        visit_reminders_task.delay(day)


def messages_page(client) -> str:
    return client.get("/jemput-bola/pesan/").content.decode()


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_an_officer_gets_a_whatsapp_reminder_the_day_before_a_visit(
    whatsapp, visits, django_capture_on_commit_callbacks
):
    reminders_run(django_capture_on_commit_callbacks)
    assert len(whatsapp.received) == 1
    request = whatsapp.received[0]
    assert request["authorization"] == TOKEN
    assert request["json"]["target"] == request["json"]["phone"] == BUDI_NUMBER
    assert request["json"]["message"] == "\n".join(
        [
            "Halo Budi Santoso, pengingat jemput bola besok, Senin, 14 April 2025.",
            "Tempat: Balai Desa Puron, Desa Puron, Kecamatan Bulu.",
            "Jenis tempat: Balai desa / kantor kelurahan.",
            "Perkiraan peserta: 50 orang.",
        ]
    )
    message = OutboxMessage.objects.get()
    assert (message.status, message.channel, message.address, message.attempts) == (
        "sent",
        "whatsapp",
        BUDI_NUMBER,
        1,
    )
    assert message.sent_at is not None


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_every_officer_of_a_visit_gets_one_naming_the_others(
    whatsapp, visits, petugas, django_capture_on_commit_callbacks
):
    petugas.first_name = "Sri"
    petugas.save(update_fields=["first_name"])
    OfficerContact.objects.create(user=petugas, whatsapp="6285700000001")
    visits["V5"].officers.add(petugas)
    reminders_run(django_capture_on_commit_callbacks)
    by_number = {r["json"]["target"]: r["json"]["message"] for r in whatsapp.received}
    assert set(by_number) == {BUDI_NUMBER, "6285700000001"}
    assert "Halo Sri," in by_number["6285700000001"]
    assert by_number["6285700000001"].endswith("Bersama: Budi Santoso.")
    assert by_number[BUDI_NUMBER].endswith("Bersama: Sri.")


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_no_reminder_for_cancelled_or_held_visits_or_other_days(
    whatsapp, visits, petugas, django_capture_on_commit_callbacks
):
    budi = officer("budi", "Budi", "Santoso")
    puron = "33.11.02.2001"
    visit(puron, "pasar", "Pasar Bulu", "cancelled", D(2025, 4, 14), [budi])
    held_early = visit(puron, "sekolah", "SMP N 1 Bulu", "planned", D(2025, 4, 14), [budi])
    Visit.objects.filter(pk=held_early.pk).update(
        status="held", held_on=D(2025, 4, 13), activated=12
    )
    visit(puron, "desa", "Balai Desa Puron", "planned", D(2025, 4, 13), [budi])  # today
    visit(puron, "desa", "Balai Desa Puron", "planned", D(2025, 4, 15), [budi])  # in 2 days
    reminders_run(django_capture_on_commit_callbacks)
    assert len(whatsapp.received) == 1
    assert "Senin, 14 April 2025" in whatsapp.messages[0]
    assert "Balai Desa Puron" in whatsapp.messages[0]
    assert list(OutboxMessage.objects.values_list("key", flat=True)) == [
        f"reminder:{visits['V5'].pk}:{budi.pk}:2025-04-14"
    ]


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_the_same_reminder_queued_twice_is_one_message(
    whatsapp, visits, django_capture_on_commit_callbacks
):
    reminders_run(django_capture_on_commit_callbacks)
    reminders_run(django_capture_on_commit_callbacks)  # beat ran twice, or someone ran it by hand
    reminders_run(django_capture_on_commit_callbacks, "2025-04-14")
    assert OutboxMessage.objects.count() == 1
    assert len(whatsapp.received) == 1


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_a_failing_gateway_is_tried_5_times_then_the_admin_sees_the_message_failed(
    whatsapp, visits, admin_client, django_capture_on_commit_callbacks
):
    whatsapp.status = 500
    whatsapp.answer = {"status": False, "reason": "device disconnected"}
    reminders_run(django_capture_on_commit_callbacks)
    assert len(whatsapp.received) == 5
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 5)
    assert message.last_error.startswith("HTTP 500")
    page = messages_page(admin_client)
    row = re.search(rf'data-testid="message-{message.pk}">(.*?)</tr>', page, re.S).group(1)
    for seen in ("Pengingat kunjungan", "Budi Santoso", BUDI_NUMBER, "Gagal", "HTTP 500"):
        assert seen in row
    assert "device disconnected" in html.unescape(row)
    assert "Kirim ulang" in row


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_kirim_ulang_sends_a_failed_message_again(
    whatsapp, visits, admin_client, django_capture_on_commit_callbacks
):
    whatsapp.status = 503
    reminders_run(django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert message.status == "failed"
    whatsapp.status = 200  # the gateway's phone is back online
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/jemput-bola/pesan/{message.pk}/kirim-ulang/", follow=True)
    assert "Pesan masuk antrean untuk dikirim ulang." in response.content.decode()
    assert len(whatsapp.received) == 6
    assert whatsapp.received[-1]["json"]["target"] == BUDI_NUMBER
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 6)
    assert "Semua pesan sudah terkirim." in messages_page(admin_client)
    # A second click on a page left open sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/jemput-bola/pesan/{message.pk}/kirim-ulang/", follow=True)
    assert "Pesan ini sudah terkirim." in response.content.decode()
    assert len(whatsapp.received) == 6


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_a_gateway_that_answers_status_false_has_not_sent_it(
    whatsapp, visits, django_capture_on_commit_callbacks
):
    whatsapp.answer = {"status": False, "reason": "invalid target"}  # with 200, as Fonnte does
    reminders_run(django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert (message.status, message.last_error) == ("failed", "gateway: invalid target")


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_an_officer_without_a_number_fails_at_once_until_the_admin_adds_one(
    whatsapp, visits, admin_client, django_capture_on_commit_callbacks
):
    budi = officer("budi", "Budi", "Santoso")
    OfficerContact.objects.filter(user=budi).delete()
    reminders_run(django_capture_on_commit_callbacks)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 1)  # no retry: it would not help
    assert "Budi Santoso belum punya nomor WhatsApp" in messages_page(admin_client)
    assert whatsapp.received == []
    # The Admin adds the number as officers give it, in the Django admin.
    response = admin_client.post(
        "/admin/kecamatan/officercontact/add/", {"user": budi.pk, "whatsapp": "0812-3456-7890"}
    )
    assert response.status_code == 302
    assert OfficerContact.objects.get(user=budi).whatsapp == BUDI_NUMBER
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/jemput-bola/pesan/{message.pk}/kirim-ulang/")
    assert [r["json"]["target"] for r in whatsapp.received] == [BUDI_NUMBER]


def test_the_admin_refuses_a_number_that_is_not_a_mobile_number(admin_client, visits):
    budi = officer("budi", "Budi", "Santoso")
    OfficerContact.objects.filter(user=budi).delete()
    response = admin_client.post(
        "/admin/kecamatan/officercontact/add/", {"user": budi.pk, "whatsapp": "0271 593068"}
    )
    assert response.status_code == 200
    assert "Nomor WhatsApp seperti 0812 3456 7890" in response.content.decode()
    assert not OfficerContact.objects.filter(user=budi).exists()


@time_machine.travel(SUNDAY_AFTERNOON, tick=False)
def test_the_console_default_sends_nothing_over_the_network(
    gateway, visits, settings, capsys, django_capture_on_commit_callbacks
):
    assert settings.MESSAGE_SENDER == "ikd_dashboard.messaging.ConsoleSender"
    settings.WHATSAPP_GATEWAY_URL = gateway.url  # set, and still not used
    reminders_run(django_capture_on_commit_callbacks)
    assert gateway.received == []
    printed = capsys.readouterr().out
    assert BUDI_NUMBER in printed
    assert "Tempat: Balai Desa Puron, Desa Puron, Kecamatan Bulu." in printed
    message = OutboxMessage.objects.get()
    assert (message.status, message.channel) == ("sent", "console")


# 07:30 WIB, Friday 11 April 2025: the recap of the 10th, the small kabupaten's data date.
@time_machine.travel(dt.datetime(2025, 4, 11, 0, 30, tzinfo=dt.UTC), tick=False)
def test_the_morning_recap_goes_to_the_group_as_the_recap_page_writes_it(
    whatsapp, visits, admin_client, settings, django_capture_on_commit_callbacks
):
    progress_recompute(as_of=D(2025, 4, 10))
    settings.OUTREACH_GROUP_RECIPIENT = GROUP
    with django_capture_on_commit_callbacks(execute=True):
        outreach_recap_task.delay()
        outreach_recap_task.delay()  # once a day, however often it runs
    assert [r["json"]["target"] for r in whatsapp.received] == [GROUP]
    page = admin_client.get("/jemput-bola/rekap/?tanggal=2025-04-10").content.decode()
    shown = re.search(r'data-testid="recap-text">(.*?)</textarea>', page, re.S).group(1)
    assert whatsapp.messages[0] == html.unescape(shown)
    assert whatsapp.messages[0].startswith("Rekap IKD Kabupaten Sukoharjo, Kamis, 10 April 2025")


@time_machine.travel(dt.datetime(2025, 4, 11, 0, 30, tzinfo=dt.UTC), tick=False)
def test_no_recap_without_a_group(whatsapp, visits, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert outreach_recap_task.delay().get() is None
    assert whatsapp.received == []
    assert not OutboxMessage.objects.exists()


# --- with the real worker (PostgreSQL and Redis) ------------------------------------------------


@pytest.fixture
def whatsapp_env(gateway, monkeypatch):
    """The gateway in the environment, for the worker process started after this fixture."""
    monkeypatch.setenv("MESSAGE_SENDER", WHATSAPP)
    monkeypatch.setenv("WHATSAPP_GATEWAY_URL", gateway.url)
    monkeypatch.setenv("WHATSAPP_GATEWAY_TOKEN", TOKEN)
    return gateway


@pytest.mark.services
def test_a_worker_queues_and_sends_the_reminders_in_the_background(
    whatsapp_env, celery_worker, small_kabupaten, petugas, admin_user
):
    outreach_visits_create(petugas=petugas, admin=admin_user)
    OfficerContact.objects.create(user=officer("budi", "Budi", "Santoso"), whatsapp=BUDI_NUMBER)
    visit_reminders_task.apply_async(args=["2025-04-14"], queue=celery_worker)
    deadline = time.monotonic() + 60
    while not OutboxMessage.objects.filter(status="sent").exists():
        assert time.monotonic() < deadline, celery_worker.log.read_text()
        time.sleep(0.25)
    assert [r["json"]["target"] for r in whatsapp_env.received] == [BUDI_NUMBER]
    assert whatsapp_env.received[0]["authorization"] == TOKEN
    assert "Senin, 14 April 2025" in whatsapp_env.messages[0]
