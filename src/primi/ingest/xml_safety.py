"""Parse uploaded XML without the attacks XML allows: entity expansion, external entities, network.

Every XML reader goes through `iterparse_safely`. A document type declaration has no place in an
SDMX data message, so any DOCTYPE is refused before a single element is handed out: first by a
look at the prolog's bytes (a clear message before libxml2 sees the declarations), then by the
parser's own record of the document type on its first event. Entities are never resolved, no
DTD is loaded, nothing is fetched from the network, and libxml2's size limits stay on (no
huge_tree). A file that is not well-formed XML gives a ReadError naming the line.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from primi.ingest.errors import ReadError

PROLOG_BYTES = 1 << 16
_ROOT_START = re.compile(r"<[A-Za-z_]")


def iterparse_safely(
    path: Path, events: tuple[str, ...] = ("start", "end")
) -> Iterator[tuple[str, etree._Element]]:
    """lxml iterparse of `path` with DOCTYPE refused and parser errors turned into ReadErrors."""
    path = Path(path)
    name = path.name
    _refuse_doctype_in_prolog(path)
    parser = etree.iterparse(
        str(path),
        events=events,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    first = True
    try:
        for event, element in parser:
            if first:
                first = False
                info = element.getroottree().docinfo
                if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
                    raise doctype_error(name)
            yield event, element
    except etree.XMLSyntaxError as exc:
        # iterparse may raise a summary ("no element found"); the first fatal error says why.
        # The log can hold earlier files' errors: keep this file's.
        fatals = [e for e in exc.error_log.filter_from_fatals() if e.filename == str(path)]
        fatal = fatals[0] if fatals else None
        message = (fatal.message if fatal else exc.msg) or "?"
        line = fatal.line if fatal else exc.lineno
        line = line if line and line > 0 else None
        if "amplification" in message:
            raise doctype_error(name, line) from None
        raise ReadError(
            name,
            "L0_UNREADABLE",
            f"El archivo no es XML bien formado: {message}.",
            f"The file is not well-formed XML: {message}.",
            row=line,
        ) from None
    except OSError as exc:
        raise ReadError.unopenable(name, exc) from None


def doctype_error(name: str, line: int | None = None) -> ReadError:
    """The refusal of a document type declaration (entity expansion and external entities)."""
    return ReadError(
        name,
        "L0_XML_DOCTYPE",
        "El archivo XML declara un DOCTYPE o entidades, que un mensaje SDMX no usa y que "
        "permiten ataques (expansión de entidades, entidades externas); no se ha leído. "
        "Envíe el mensaje sin la declaración <!DOCTYPE ...>.",
        "The XML file declares a DOCTYPE or entities, which an SDMX message does not use and "
        "which allow attacks (entity expansion, external entities); it was not read. "
        "Send the message without the <!DOCTYPE ...> declaration.",
        row=line,
    )


def _refuse_doctype_in_prolog(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(PROLOG_BYTES)
    except OSError:
        return  # the parser reports the same error in words
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1")
    root = _ROOT_START.search(text)
    prolog = text[: root.start()] if root else text
    at = prolog.find("<!DOCTYPE")
    if at >= 0:
        raise doctype_error(path.name, prolog.count("\n", 0, at) + 1)
