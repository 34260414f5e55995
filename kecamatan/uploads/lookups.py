"""Regions, segments and places as an uploaded file may name them, looked up once per import:
codes with or without dots, kecamatan and desa by name (and how each name was matched)."""

import re

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Activation as ActivationModel
from ..models import Region, Segment
from ..regions import code_with_dots

MATCHES_KEPT = 200  # names listed in the preview


def plain_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name.strip().lower())
    for prefix in ("kecamatan ", "kec. ", "desa ", "kelurahan ", "kel. ", "kabupaten ", "kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class RegionLookups:
    """Regions, segments and places, loaded once per import so each row costs dict lookups.
    With `within` (the kecamatan of a limited Admin), a region outside it is not known."""

    def __init__(self, within: str | None = None):
        self.within = within
        regions = Region.objects.all()
        if within:
            regions = regions.filter(Q(code=within) | Q(code__startswith=within + "."))
        self.regions = dict(regions.values_list("code", "level"))
        self.kecamatan_by_name: dict[str, list[str]] = {}
        self.desa_by_name: dict[tuple[str | None, str], list[str]] = {}
        for code, name, level, parent in regions.values_list("code", "name", "level", "parent_id"):
            if level == "kecamatan":
                self.kecamatan_by_name.setdefault(plain_name(name), []).append(code)
            elif level in ("desa", "kelurahan"):
                self.desa_by_name.setdefault((parent, plain_name(name)), []).append(code)
                self.desa_by_name.setdefault((None, plain_name(name)), []).append(code)
        self.segments: dict[str, str] = {}
        for code, name in Segment.objects.values_list("code", "name"):
            self.segments[code.lower()] = code
            self.segments[plain_name(name)] = code
        self.segments.setdefault("pns", "asn")
        self.segments.setdefault("umum", "umum")
        self.segments.setdefault("pelajar", "pelajar")
        self.places = {}
        for code, label in ActivationModel.Place.choices:
            self.places[code] = code
            self.places[str(label).lower()] = code
        # What the file wrote → (code, how it was read), for every region not given as a code
        # with dots: the preview shows how each name was matched.
        self.matched: dict[str, tuple[str, str]] = {}

    def region(self, code: str, kecamatan: str, desa: str) -> tuple[str | None, str | None]:
        """(region code, None) or (None, why not) from a code or from names."""
        written = code or " / ".join(filter(None, [kecamatan, desa]))
        found, problem, how = self._region(code, kecamatan, desa)
        if found and how and len(self.matched) < MATCHES_KEPT:
            self.matched.setdefault(written, (found, how))
        return found, problem

    def _region(self, code: str, kecamatan: str, desa: str):
        if code and re.search(r"[A-Za-z]", code):
            # A name where a code should be: fine when it names one kecamatan or one desa.
            if plain_name(code) in self.kecamatan_by_name:
                kecamatan, desa, code = code, "", ""
            else:
                kecamatan, desa, code = "", code, ""
        if code:
            code = code.strip()
            how = ""
            if code != code_with_dots(code):
                code = code_with_dots(code)
                how = _("kode tanpa titik")
            if code in self.regions:
                return code, None, how
            return None, _("Kode wilayah %(code)s tidak dikenal.") % {"code": code}, ""
        kec_codes = self.kecamatan_by_name.get(plain_name(kecamatan), []) if kecamatan else []
        if kecamatan and not kec_codes:
            return None, _("Kecamatan '%(name)s' tidak dikenal.") % {"name": kecamatan}, ""
        if len(kec_codes) > 1:
            return (
                None,
                _("Nama kecamatan '%(name)s' ada lebih dari satu; gunakan kode wilayah.")
                % {"name": kecamatan},
                "",
            )
        if not desa:
            if not kec_codes:
                return None, _("Wilayah kosong."), ""
            return kec_codes[0], None, _("nama kecamatan")
        parent = kec_codes[0] if kec_codes else None
        desa_codes = self.desa_by_name.get((parent, plain_name(desa)), [])
        if not desa_codes:
            return (
                None,
                _("Desa/kelurahan '%(name)s' tidak dikenal%(where)s.")
                % {
                    "name": desa,
                    "where": _(" di kecamatan %(k)s") % {"k": kecamatan} if kecamatan else "",
                },
                "",
            )
        if len(desa_codes) > 1:
            return (
                None,
                _(
                    "Nama desa/kelurahan '%(name)s' ada di lebih dari satu kecamatan; tambahkan "
                    "kolom kecamatan atau gunakan kode wilayah."
                )
                % {"name": desa},
                "",
            )
        if parent:
            return desa_codes[0], None, _("nama desa/kelurahan di kecamatan itu")
        return desa_codes[0], None, _("nama desa/kelurahan, satu-satunya dengan nama itu")
