"""SDMX-REST structure queries: 1.5 paths (/rest/{type}/...) and 2.x (/rest/v2/structure/...).

Each path takes an optional trailing slash (pysdmx adds one); the positions are split by the
view, so `+`, `,` and `*` arrive decoded whether or not the client percent-encoded them.
"""

from django.urls import re_path

from primi.sdmx.structure_query import V1_TYPES
from primi.sdmx.structure_views import structure_v1, structure_v2

_TYPES = "|".join(sorted(V1_TYPES, key=len, reverse=True))

urlpatterns = [
    re_path(rf"^(?P<type_name>{_TYPES})/?$", structure_v1),
    re_path(rf"^(?P<type_name>{_TYPES})/(?P<rest>.+)$", structure_v1, name="sdmx-structure"),
    re_path(r"^v2/structure/?$", structure_v2),
    re_path(r"^v2/structure/(?P<rest>.+)$", structure_v2, name="sdmx-structure-v2"),
]
