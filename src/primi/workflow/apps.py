from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "primi.workflow"
    label = "workflow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django_tasks.signals import task_finished

        from primi.workflow.task_outcomes import upload_task_finished

        task_finished.connect(upload_task_finished, dispatch_uid="primi.workflow.upload_failed")
