from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "primi.tokens"
    label = "tokens"
    default_auto_field = "django.db.models.BigAutoField"
