from django.apps import AppConfig


class KecamatanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kecamatan"
