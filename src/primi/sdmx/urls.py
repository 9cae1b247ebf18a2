"""SDMX-REST under /rest: 1.5 paths at the root, 2.x paths under v2/; any other path an SDMX 404."""

from django.urls import re_path

from primi.sdmx import data_urls, structure_urls
from primi.sdmx.views_base import unknown_path

urlpatterns = [
    *structure_urls.urlpatterns,
    *data_urls.urlpatterns,
    re_path(r"^.*$", unknown_path),
]
