"""SDMX-REST data paths: 1.5 data, availability and the structure-specific data schema, and
2.x data under v2/.

Optional trailing segments and a trailing slash are accepted (pysdmx adds one); Django hands
the views percent-decoded paths, so `%2C`, `%2B` and `%2A` read as `,`, `+` and `*`.
"""

from django.urls import re_path

from primi.sdmx import data_v2_views, data_views

_SEGMENT = r"[^/]*"

urlpatterns = [
    re_path(
        rf"^data/(?P<flow_ref>[^/]+)(?:/(?P<key>{_SEGMENT}))?(?:/(?P<provider_ref>{_SEGMENT}))?/?$",
        data_views.data,
        name="sdmx-data",
    ),
    re_path(
        rf"^availableconstraint/(?P<flow_ref>[^/]+)(?:/(?P<key>{_SEGMENT}))?"
        rf"(?:/(?P<provider_ref>{_SEGMENT}))?(?:/(?P<component_id>{_SEGMENT}))?/?$",
        data_views.available_constraint,
        name="sdmx-availableconstraint",
    ),
    re_path(
        r"^schema/(?P<context>dataflow|datastructure|provisionagreement|metadataflow|"
        r"metadatastructure|metadataprovisionagreement)/(?P<agency>[^/]+)/(?P<resource_id>[^/]+)"
        r"(?:/(?P<version>[^/]+))?/?$",
        data_views.data_schema,
        name="sdmx-data-schema",
    ),
    re_path(
        rf"^v2/data(?:/(?P<context>{_SEGMENT}))?(?:/(?P<agency>{_SEGMENT}))?"
        rf"(?:/(?P<resource_id>{_SEGMENT}))?(?:/(?P<version>{_SEGMENT}))?"
        rf"(?:/(?P<key>{_SEGMENT}))?/?$",
        data_v2_views.data_v2,
        name="sdmx-data-v2",
    ),
]
