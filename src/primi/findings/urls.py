"""Pages of primi.findings, under the language prefix."""

from django.urls import path

from primi.findings import views

app_name = "findings"
urlpatterns = [
    path("", views.finding_list, name="list"),
    path("new/", views.finding_new, name="new"),
    path("<int:finding_id>/", views.finding_detail, name="detail"),
    path("<int:finding_id>/post/", views.finding_post, name="post"),
    path("<int:finding_id>/state/", views.finding_state, name="state"),
]
