from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "primi.quality"
    label = "quality"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from primi.operations.recovery import task_interrupted
        from primi.quality import signals
        from primi.workflow.lifecycle import review_moved

        review_moved.connect(signals.review_moved, dispatch_uid="primi.quality.accepted")
        task_interrupted.connect(signals.task_interrupted, dispatch_uid="primi.quality.interrupted")
