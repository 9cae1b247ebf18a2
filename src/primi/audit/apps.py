"""The audit trail: every action appended, never edited."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "primi.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth

        from primi.audit import signals

        auth.user_logged_in.connect(signals.logged_in, dispatch_uid="primi.audit.login")
        auth.user_logged_out.connect(signals.logged_out, dispatch_uid="primi.audit.logout")
        auth.user_login_failed.connect(signals.login_failed, dispatch_uid="primi.audit.failed")
