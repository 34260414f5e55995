"""A file of official figures, uploaded from the reconciliation page: validated whole, saved in one
transaction, and the page's file form posts to it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from kecamatan.models import OfficialFigure


def test_the_reconciliation_page_sends_its_file_to_the_upload_address(admin_client):
    html = admin_client.get("/rekonsiliasi/").content.decode()
    assert 'action="/rekonsiliasi/unggah/" enctype="multipart/form-data"' in html


def test_an_admin_uploads_official_figures_validated_whole(admin_client, small_kabupaten):
    good = (
        "kode_wilayah;tanggal;jumlah;sumber\n"
        "33.11;31/03/2025;275;Provinsi\n33.11.01;9 April 2025;1.175;\n"
    )
    admin_client.post(
        "/rekonsiliasi/unggah/", {"file": SimpleUploadedFile("resmi.csv", good.encode())}
    )
    assert sorted(OfficialFigure.objects.values_list("region_id", "activated", "source")) == [
        ("33.11", 275, "Provinsi"),
        ("33.11.01", 1175, "Ditjen Dukcapil"),
    ]
    bad = "kode_wilayah,tanggal,jumlah\n33.11,2025-04-01,10\n99.99,2025-04-01,-3\n"
    response = admin_client.post(
        "/rekonsiliasi/unggah/",
        {"file": SimpleUploadedFile("salah.csv", bad.encode())},
        follow=True,
    )
    html = response.content.decode()
    assert "Baris 3" in html and "99.99" in html
    assert OfficialFigure.objects.count() == 2  # nothing of the bad file was kept


def test_a_post_without_a_file_says_so_and_keeps_nothing(admin_client, small_kabupaten):
    response = admin_client.post("/rekonsiliasi/unggah/", {}, follow=True)
    assert "Pilih berkas angka resmi" in response.content.decode()
    assert not OfficialFigure.objects.exists()


def test_a_file_posted_to_the_old_address_still_arrives(admin_client, small_kabupaten):
    """Scripts written before the file form had its own address post to /rekonsiliasi/."""
    good = "kode_wilayah,tanggal,jumlah\n33.11,2025-03-31,275\n"
    response = admin_client.post(
        "/rekonsiliasi/", {"file": SimpleUploadedFile("resmi.csv", good.encode())}
    )
    # 307: the client sends the same method and body again, to the new address
    assert response.status_code == 307
    admin_client.post(
        response["Location"], {"file": SimpleUploadedFile("resmi.csv", good.encode())}
    )
    assert OfficialFigure.objects.get().activated == 275
