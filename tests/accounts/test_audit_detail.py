"""The audit trail's details read as sentences, not as Python (`roles: ['Admin']`)."""

from kecamatan.accounts.audit import audit_detail_sentence


def test_an_account_change_reads_as_sentences(admin_client):
    admin_client.post(
        "/pengguna/",
        {
            "username": "operator1",
            "email": "sri@example.go.id",
            "is_active": "on",
            "role": "Admin",
            "password": "Laporan-Bulanan-2025",
        },
    )
    html = admin_client.get("/audit/").content.decode()
    assert "Peran: Admin." in html
    assert "[&#x27;Admin&#x27;]" not in html and "['Admin']" not in html


def test_known_details_are_sentences_and_unknown_ones_are_kept():
    assert audit_detail_sentence(
        {"percent": "30.00", "valid_from": "2025-01-01", "deadline": "2025-12-31"}
    ) == ("Target 30%. Berlaku sejak 1 Januari 2025. Tenggat 31 Desember 2025.")
    assert audit_detail_sentence({"upload": 12, "status": "imported"}) == (
        "Unggahan #12. Status: Berhasil diimpor."
    )
    assert audit_detail_sentence({"baru": ["a", "b"]}) == "baru: a, b."
