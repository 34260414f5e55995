from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class KecamatanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kecamatan"

    def ready(self):
        from ikd_dashboard.requestlog import nik_masking_log_records

        from . import models
        from .accounts import audit, tokens  # noqa: F401 - connect their receivers
        from .dashboard.pagecache import pages_changed

        nik_masking_log_records()  # no raw NIK in any log line, whoever writes it

        # What the region pages show besides the snapshots; bulk writes call pages_changed.
        for model in (
            models.RecomputeRun,
            models.Target,
            models.OfficialFigure,
            models.Region,
            models.RegionBoundary,
            models.Segment,
        ):
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}-delete"
            )
