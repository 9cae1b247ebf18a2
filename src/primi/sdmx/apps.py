from django.apps import AppConfig


class SdmxConfig(AppConfig):
    name = "primi.sdmx"
    label = "sdmx"
    default_auto_field = "django.db.models.BigAutoField"
