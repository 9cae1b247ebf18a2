"""What every data writer is given besides the rows, and how they hand out their text."""

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
