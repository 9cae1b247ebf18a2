"""Submission and review pages, under the language prefix."""

from django.urls import path

from primi.workflow import review_views, views

app_name = "workflow"
urlpatterns = [
    path("submissions/new/", views.upload_new, name="upload_new"),
    path("submissions/<uuid:upload_id>/", views.upload_detail, name="upload"),
    path("submissions/<uuid:upload_id>/explain/", views.upload_explain, name="upload_explain"),
    path("submissions/<uuid:upload_id>/report.json", views.upload_report, name="upload_report"),
    path(
        "submissions/<uuid:upload_id>/annotated.xlsx",
        views.upload_annotated,
        name="upload_annotated",
    ),
    path("templates/", views.template_download, name="templates"),
    path("inbox/", review_views.inbox, name="inbox"),
    path("country-work/", review_views.country_work, name="country_work"),
    path("regional-work/", review_views.regional_work, name="regional_work"),
    path("reviews/<int:review_id>/", review_views.review_detail, name="review"),
]
