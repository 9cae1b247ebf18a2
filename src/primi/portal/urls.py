"""Public pages, each under /es/, /en/ and /fr/ (the prefix comes from primi.urls)."""

from django.urls import path

from primi.portal import (
    comparability_views,
    corridor_views,
    country_views,
    download_views,
    explorer_views,
    flow_views,
    indicator_views,
    reference_views,
    release_views,
    search_views,
    series_views,
    views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("countries/", country_views.country_list, name="countries"),
    path("countries/<str:code>/", country_views.country_profile, name="country"),
    path("indicators/", indicator_views.indicator_list, name="indicators"),
    path("indicators/<str:code>/", indicator_views.indicator_page, name="indicator"),
    path("flows/", flow_views.flows, name="flows"),
    path("corridor/", corridor_views.page, name="corridor"),
    path("comparability/", comparability_views.page, name="comparability"),
    path("explorer/", explorer_views.explorer, name="explorer"),
    path("series/<str:key>/", series_views.series_page, name="series"),
    path("releases/", release_views.release_calendar, name="releases"),
    path("releases/feed.atom", release_views.ReleaseFeed(), name="release_feed"),
    path("glossary/", reference_views.glossary, name="glossary"),
    path("methodology/", reference_views.methodology, name="methodology"),
    path("search/", search_views.search, name="search"),
    path("data/download/", download_views.download, name="download"),
]
