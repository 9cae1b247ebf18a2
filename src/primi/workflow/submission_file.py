"""One file from a provider, from upload to a draft (or published) revision in the store.

The order is fixed: limits, read into the canonical frame, check, and only then load, in one
transaction. A file with errors, or a dry run, changes nothing in the store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from primi.checks.findings import ERROR, Finding
from primi.checks.structure import check_structure
from primi.ingest.errors import ReadError
from primi.ingest.sdmx_csv import parse_structure_ref, read_sdmx_csv
from primi.standard.catalogue import load_standard
from primi.store.loading import LoadResult, load_frame


class SubmissionError(Exception):
    """A file refused before any check could run, explained in Spanish and English."""

    def __init__(self, file: str, rule: str, message_es: str, message_en: str) -> None:
        super().__init__(message_en)
        self.file, self.rule = file, rule
        self.message_es, self.message_en = message_es, message_en

    @classmethod
    def from_read_error(cls, err: ReadError) -> SubmissionError:
        finding = err.finding
        return cls(finding.file, finding.rule, finding.line("es"), finding.line("en"))

    def message(self, lang: str) -> str:
        return self.message_es if lang == "es" else self.message_en


@dataclass
class SubmissionResult:
    """What happened to one file: rows read, findings, and the load if there was one."""

    file: str
    dataflow: str
    rows_read: int
    dry_run: bool
    findings: list[Finding] = field(default_factory=list)
    load: LoadResult | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def loaded(self) -> bool:
        return self.load is not None

    def summary(self, lang: str) -> str:
        """The text report: counts first, then one line per finding."""
        es = lang == "es"
        lines = [
            f"{'Archivo' if es else 'File'}: {self.file} ({self.dataflow})",
            f"{'Filas leídas' if es else 'Rows read'}: {self.rows_read}",
            f"{'Errores' if es else 'Errors'}: {len(self.errors)}",
        ]
        lines += [f.line(lang) for f in self.findings]
        if self.load is not None:
            sub = self.load.submission
            state = "publicada" if sub.published_at else "borrador"
            if not es:
                state = "published" if sub.published_at else "draft"
            lines.append(
                f"Cargadas {self.load.rows} observaciones en el envío {sub.pk} ({state}); "
                f"series nuevas: {self.load.series_created}."
                if es
                else f"Loaded {self.load.rows} observations as submission {sub.pk} ({state}); "
                f"new series: {self.load.series_created}."
            )
        elif self.dry_run and not self.errors:
            lines.append(
                "Solo comprobación: el archivo se puede cargar; no se cambió nada."
                if es
                else "Check only: the file can be loaded; nothing was changed."
            )
        else:
            lines.append(
                "No se cargó nada: corrija los errores y vuelva a enviar el archivo."
                if es
                else "Nothing was loaded: correct the errors and submit the file again."
            )
        return "\n".join(lines)


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    limit = settings.PRIMI_UPLOAD_MAX_BYTES
    if size > limit:
        raise SubmissionError(
            path.name, "L0_SIZE",
            f"{path.name}: el archivo pesa {size} bytes; el límite es {limit}.",
            f"{path.name}: the file is {size} bytes; the limit is {limit}.",
        )  # fmt: skip


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def submit_file(
    path: Path,
    *,
    provider: str,
    dry_run: bool = False,
    publish: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SubmissionResult:
    """Read, check and (unless a dry run or an error) load one SDMX-CSV file."""
    if not path.is_file():
        raise SubmissionError(
            str(path), "L0_MISSING",
            f"No se encuentra el archivo {path}.", f"The file {path} does not exist.",
        )  # fmt: skip
    _check_size(path)
    try:
        data = read_sdmx_csv(path)
    except ReadError as err:
        raise SubmissionError.from_read_error(err) from None
    if len(data.dataflows) != 1:
        flows = ", ".join(sorted(data.dataflows))
        raise SubmissionError(
            path.name, "L0_ONE_DATAFLOW",
            f"{path.name}: un archivo lleva un solo flujo de datos; este lleva: {flows}.",
            f"{path.name}: a file carries one dataflow; this one carries: {flows}.",
        )  # fmt: skip
    dataflow = parse_structure_ref(next(iter(data.dataflows)))[1]
    std = load_standard()
    try:
        std.dataflow(dataflow)
    except KeyError:
        raise SubmissionError(
            path.name, "L0_DATAFLOW",
            f"{path.name}: {dataflow} no es un flujo de datos de PRIMI.",
            f"{path.name}: {dataflow} is not a PRIMI dataflow.",
        ) from None  # fmt: skip
    rows = data.table.num_rows
    if rows > settings.PRIMI_UPLOAD_MAX_ROWS:
        raise SubmissionError(
            path.name, "L0_ROWS",
            f"{path.name}: {rows} filas; el límite es {settings.PRIMI_UPLOAD_MAX_ROWS}.",
            f"{path.name}: {rows} rows; the limit is {settings.PRIMI_UPLOAD_MAX_ROWS}.",
        )  # fmt: skip
    result = SubmissionResult(path.name, dataflow, rows, dry_run)
    result.findings = check_structure(data.table, std, dataflow, path.name)
    if result.errors or dry_run:
        return result
    result.load = load_frame(
        data.table,
        provider=provider,
        dataflow=dataflow,
        file_name=path.name,
        file_sha256=_sha256(path),
        publish=publish,
        progress=progress,
    )
    return result
