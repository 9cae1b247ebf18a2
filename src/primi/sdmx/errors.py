"""SDMX-REST errors: one exception, answered as an SDMX-ML 2.1 error message.

SDMX-REST 1.x fixes the status codes (400 syntax, 401, 403, 404 no results, 406 format, 413
too large, 500, 501 not implemented, 503); clients such as sdmx1 read the message's text, so
it is given in English and, where a client asks for it, Spanish.
"""

from __future__ import annotations

import re

from django.http import HttpResponse
from lxml import etree

MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
COM = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTENT_TYPE = "application/xml; charset=utf-8"
# What XML 1.0 cannot hold (controls, NUL, U+FFFE/FFFF, lone surrogates): a message that echoes
# a hostile query shows them as U+FFFD.
NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class SdmxError(Exception):
    """A query the service answers with an SDMX error status and message."""

    def __init__(self, status: int, message_en: str, message_es: str | None = None) -> None:
        super().__init__(message_en)
        self.status = status
        self.message_en = message_en
        self.message_es = message_es or message_en

    def as_xml(self) -> bytes:
        root = etree.Element(f"{{{MES}}}Error", nsmap={"mes": MES, "com": COM})
        message = etree.SubElement(root, f"{{{MES}}}ErrorMessage", code=str(self.status))
        for lang, text in (("en", self.message_en), ("es", self.message_es)):
            etree.SubElement(message, f"{{{COM}}}Text", {XML_LANG: lang}).text = NOT_XML_TEXT.sub(
                "\ufffd", text
            )
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")

    def response(self) -> HttpResponse:
        return HttpResponse(self.as_xml(), status=self.status, content_type=CONTENT_TYPE)


def not_found(what_en: str, what_es: str) -> SdmxError:
    return SdmxError(404, f"No results: {what_en}.", f"Sin resultados: {what_es}.")


def not_implemented(what: str) -> SdmxError:
    return SdmxError(
        501,
        f"Not implemented by this service: {what}.",
        f"No implementado en este servicio: {what}.",
    )
