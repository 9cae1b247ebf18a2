"""What every data writer is given besides the rows, and how they hand out their text; the
SDMX-ML message header, which 2.1 and 3.0 write alike."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from primi.sdmx.data_query import FlowRef
from primi.sdmx.writers.layout import Layout
from primi.standard.catalogue import Standard, load_standard

CHUNK_BYTES = 1 << 16
SENDER_NAMES = {
    "es": "Plataforma regional de estadísticas de migración",
    "en": "Regional platform for migration statistics",
    "fr": "Plateforme régionale de statistiques migratoires",
}

_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


@dataclass(frozen=True)
class DataMessage:
    """The message's context: dataflow, layout, when it was prepared, the names' language."""

    flow: FlowRef
    layout: Layout
    prepared: dt.datetime
    language: str = "en"
    labels: bool = False
    """SDMX-CSV `labels=both`: names beside ids."""
    standard: Standard = field(default_factory=load_standard)
    nonce: str = field(default_factory=lambda: secrets.token_hex(4))

    @property
    def id(self) -> str:
        return f"PRIMI_DATA_{self.prepared:%Y%m%dT%H%M%S}_{self.nonce}"

    @property
    def prepared_text(self) -> str:
        return self.prepared.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def name(self, names: dict[str, str], fallback: str) -> str:
        """A name in the message's language, else English, else the id."""
        return names.get(self.language) or names.get("en") or fallback

    def code_name(self, component: str, code: str) -> str:
        try:
            codelist = self.standard.codelist_for(component)
        except KeyError:
            return code
        found = codelist.get(code)
        return self.name(found.names, code) if found else code

    def component_name(self, component: str) -> str:
        return self.name(self.standard.concept(component).names, component)


def chunked(parts: Iterable[str], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Join small pieces of text into UTF-8 chunks of about `size` bytes for the response."""
    pending: list[str] = []
    length = 0
    for part in parts:
        pending.append(part)
        length += len(part)
        if length >= size:
            yield "".join(pending).encode()
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode()


def valid_from(published_at: dt.datetime) -> str:
    return published_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def attr(value: str) -> str:
    """Text safe inside a double-quoted XML attribute."""
    return value.translate(_ESCAPES)


def xml_header(message: DataMessage, structure_usage: str, namespace: str | None = None) -> str:
    """The message:Header of SDMX-ML 2.1 and 3.0 data: the same elements under the `message:`
    and `common:` prefixes; the versions differ only in how StructureUsage names the dataflow
    (`structure_usage`, its XML content) and whether the structure has a `namespace`."""
    flow = message.flow
    namespace_attr = f' namespace="{attr(namespace)}"' if namespace else ""
    sender = attr(message.name(SENDER_NAMES, flow.agency))
    return (
        f"<message:Header><message:ID>{message.id}</message:ID>"
        "<message:Test>false</message:Test>"
        f"<message:Prepared>{message.prepared_text}</message:Prepared>"
        f'<message:Sender id="{flow.agency}"><common:Name xml:lang="{message.language}">'
        f"{sender}</common:Name></message:Sender>"
        f'<message:Structure structureID="{flow.structure_id}"{namespace_attr} '
        f'dimensionAtObservation="{message.layout.dimension_at_observation}">'
        f"<common:StructureUsage>{structure_usage}</common:StructureUsage></message:Structure>"
        "</message:Header>"
    )
