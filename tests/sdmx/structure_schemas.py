"""The structure media types the structure tests ask for, and how they check an answer against
the official message schemas (the `schemas` fixture of conftest)."""

from collections.abc import Callable

from lxml import etree

ML21 = "application/vnd.sdmx.structure+xml; version=2.1"
ML30 = "application/vnd.sdmx.structure+xml; version=3.0.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def structure_getter(client, schemas: dict) -> Callable[..., etree._Element]:
    """GET a structure query: 200 and a message valid against its version's XSD."""

    def get(url: str, **headers: str) -> etree._Element:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.content.decode()[:400])
        schema = schemas[response["Content-Type"]]
        doc = etree.fromstring(response.content)
        assert schema.validate(doc), schema.error_log
        return doc

    return get


def error_getter(client, schemas: dict) -> Callable[..., dict[str, str]]:
    """GET a query that must fail with `status`: an SDMX-ML 2.1 error in Spanish and English."""

    def error(url: str, status: int, **headers: str) -> dict[str, str]:
        response = client.get(url, **headers)
        assert response.status_code == status, (url, response.content.decode()[:400])
        doc = etree.fromstring(response.content)
        assert schemas[ML21].validate(doc), schemas[ML21].error_log
        assert doc.find("{*}ErrorMessage").get("code") == str(status)
        texts = {t.get(XML_LANG): t.text for t in doc.iter("{*}Text")}
        assert set(texts) == {"en", "es"} and texts["en"] != texts["es"]
        return texts

    return error
