"""Pages of primi.sandbox, under the language prefix."""

from django.urls import path

from primi.sandbox import views

app_name = "sandbox"
urlpatterns = [
    path("", views.home, name="home"),
    path("send/", views.send, name="send"),
    path("exercises/<slug:slug>/file.csv", views.exercise_download, name="exercise_file"),
    path("start-over/", views.start_over, name="start_over"),
]
