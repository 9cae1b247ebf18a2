"""Pages of primi.deadlines, under the language prefix."""

from django.urls import path

from primi.deadlines import views

app_name = "deadlines"
urlpatterns = [path("", views.calendar, name="calendar")]
