from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class KecamatanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kecamatan"

    def ready(self):
        from ikd_dashboard.requestlog import nik_masking_log_records

        from . import models
        from .accounts import audit, tokens  # noqa: F401 - connect their receivers
        from .pagecache import pages_changed

        nik_masking_log_records()  # no raw NIK in any log line, whoever writes it

        # What the region pages show besides the snapshots; bulk writes call pages_changed.
        for model in (
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
        # Pages show the last successful run: one starting or tallying a unit changes none of
        # them, and moving the generation then would make every page (and, nationally, the
        # small-count groups: seconds) be worked out again in the middle of a run.
        post_save.connect(_run_saved, sender=models.RecomputeRun, dispatch_uid="pages-run")
        post_delete.connect(
            pages_changed, sender=models.RecomputeRun, dispatch_uid="pages-run-delete"
        )


def _run_saved(sender, instance, **kwargs) -> None:
    from .pagecache import pages_changed

    if instance.status == instance.Status.SUCCESS:
        pages_changed()
