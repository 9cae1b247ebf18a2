"""One file from a provider, from upload to a draft (or published) revision in the store.

The order is fixed: limits, read into the canonical frame, the sender's responsibility for the
file's dataflow, codes resolved, and then the load, in
one transaction, while levels 1, 2 and 3 check the file in other threads (they read no database;
the load mostly waits on the database or on sqlite3, outside the GIL). The load commits only
once every check has passed: a file with errors or unexplained warnings is rolled back (at the
next chunk when level 1 refuses it), and a dry run writes nothing, so neither changes anything in
the store. The history query, the file's hash and the load's preparation run beside level 1.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.conf import settings

from primi.checks.findings import ERROR, Finding
from primi.checks.history import fetch_history
from primi.checks.report import Report, summarize, unexplained_warnings
from primi.checks.run import check_level_1, check_levels_2_3
from primi.ingest.codes import resolve_codes
from primi.ingest.errors import ReadError
from primi.ingest.file_data import FileData
from primi.ingest.read import read_any
from primi.ingest.sdmx_csv import parse_structure_ref
from primi.standard.catalogue import Standard, load_standard
from primi.store.loading import LoadResult, LoadWithdrawn, load_frame, prepare_frame
from primi.store.provenance import SHEETS_NOTE
from primi.workflow.progress import CHECK, LOAD, READ

# A file of a dataflow its institution is not responsible for; or that its institution sends but
# the API token it came with is not allowed to.
INSTITUTION_RULE = "L0_INSTITUTION_DATAFLOW"
TOKEN_RULE = "L0_TOKEN_DATAFLOW"


class SubmissionError(Exception):
    """A file refused before any check could run, explained in Spanish and English."""

    def __init__(
        self, file: str, rule: str, message_es: str, message_en: str, *, dataflow: str = ""
    ) -> None:
        super().__init__(message_en)
        self.file, self.rule, self.dataflow = file, rule, dataflow
        self.message_es, self.message_en = message_es, message_en

    @classmethod
    def from_read_error(cls, err: ReadError, name: str) -> SubmissionError:
        finding = replace(err.finding, file=name)
        return cls(name, finding.rule, finding.line("es"), finding.line("en"))

    def as_report(self) -> dict:
        """The report of a refused file: no rows read, one level-0 error."""
        report = {
            "file": self.file,
            "refused": {"rule": self.rule, "es": self.message_es, "en": self.message_en},
        }
        if self.dataflow:
            report["dataflow"] = self.dataflow
        return report

    def message(self, lang: str) -> str:
        return self.message_es if lang == "es" else self.message_en


@dataclass(frozen=True)
class Responsibility:
    """What a sender may send: its institution's dataflows, narrowed by an API token's limit.

    `token` is None for a file sent through the site or with a token limited to nothing; else
    the token's dataflows, of which only those of the institution count.
    """

    institution: str
    dataflows: frozenset[str]
    token: frozenset[str] | None = None

    @classmethod
    def of(
        cls, institution: str, dataflows: Iterable[str], token: Iterable[str] | None = None
    ) -> Responsibility:
        limit = frozenset(token) if token else None
        return cls(institution, frozenset(dataflows), limit)

    @property
    def allowed(self) -> frozenset[str]:
        return self.dataflows if self.token is None else self.dataflows & self.token

    def check(self, name: str, dataflow: str) -> None:
        """Refuse a file of `dataflow` the sender may not send, saying what it may send."""
        if dataflow in self.allowed:
            return
        may = ", ".join(sorted(self.allowed))
        if dataflow not in self.dataflows:
            rule = INSTITUTION_RULE
            es = f"{self.institution} no es responsable del flujo de datos {dataflow}"
            en = f"{self.institution} is not responsible for dataflow {dataflow}"
            ask_es, ask_en = "la coordinación de su país", "your country's coordinator"
        else:
            rule = TOKEN_RULE
            es = f"esta clave de API no puede enviar el flujo de datos {dataflow}"
            en = f"this API token may not send dataflow {dataflow}"
            ask_es, ask_en = "su institución", "your institution"
        raise SubmissionError(
            name,
            rule,
            f"{name}: el archivo es del flujo de datos {dataflow}, pero {es}; "
            + (f"puede enviar: {may}." if may else "no puede enviar ningún flujo de datos.")
            + f" Si debe enviarlo, pida a {ask_es} que lo autorice.",
            f"{name}: the file is of dataflow {dataflow}, but {en}; "
            + (f"it may send: {may}." if may else "it may send no dataflow.")
            + f" If it should, ask {ask_en} to allow it.",
            dataflow=dataflow,
        )


@dataclass
class SubmissionResult:
    """What happened to one file: rows read, findings, and the load if there was one."""

    file: str
    dataflow: str
    rows_read: int
    dry_run: bool
    findings: list[Finding] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)
    load: LoadResult | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def loaded(self) -> bool:
        return self.load is not None

    def report(self) -> Report:
        accepted = 0 if self.errors else self.rows_read
        return summarize(self.findings, rows_read=self.rows_read, rows_accepted=accepted)

    def outcome(self, lang: str) -> str:
        """One sentence: what was done with the file, and what to do next."""
        es = lang == "es"
        if self.load is not None:
            sub = self.load.submission
            state = (
                ("publicada" if es else "published")
                if sub.published_at
                else ("borrador" if es else "draft")
            )
            return (
                f"Cargadas {self.load.rows} observaciones en el envío {sub.pk} ({state}); "
                f"series nuevas: {self.load.series_created}."
                if es
                else f"Loaded {self.load.rows} observations as submission {sub.pk} ({state}); "
                f"new series: {self.load.series_created}."
            )
        if self.errors:
            return (
                "No se cargó nada: corrija los errores y vuelva a enviar el archivo."
                if es
                else "Nothing was loaded: correct the errors and submit the file again."
            )
        if self.unexplained and not self.dry_run:
            rules = ", ".join(self.unexplained)
            return (
                f"No se cargó nada: explique las advertencias de estas reglas ({rules}) o pida "
                "a la coordinación regional que las acepte."
                if es
                else f"Nothing was loaded: explain the warnings of these rules ({rules}) or ask "
                "the regional steward to accept them."
            )
        return (
            "Solo comprobación: el archivo se puede cargar; no se cambió nada."
            if es
            else "Check only: the file can be loaded; nothing was changed."
        )

    def summary(self, lang: str) -> str:
        """The text report: the checks' report, then the outcome."""
        head = f"{'Archivo' if lang == 'es' else 'File'}: {self.file} ({self.dataflow})"
        return "\n".join([head, self.report().to_text(lang), self.outcome(lang)])

    def as_report(self) -> dict:
        """The report kept with an upload and served as JSON."""
        return {
            "file": self.file,
            "dataflow": self.dataflow,
            "outcome": {"es": self.outcome("es"), "en": self.outcome("en")},
            "submission": self.load.submission.pk if self.load else None,
            "unexplained": self.unexplained,
            **self.report().to_json(),
        }


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
    file_name: str | None = None,
    defaults: dict[str, str] | None = None,
    explanations: dict[str, str] | None = None,
    override: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    responsibility: Responsibility | None = None,
    on_loaded: Callable[[SubmissionResult], None] | None = None,
) -> SubmissionResult:
    """Read, check and (unless a dry run, an error or an unexplained warning) load one file.

    `responsibility` refuses, right after the one read, a file of a dataflow the sender may not
    send (None: any, for the command line and the demo, which load as any provider).
    `file_name` is the name the submitter gave the file (an upload is stored under another);
    `explanations` maps warning rule ids to the submitter's explanation, kept with the revision;
    `override` is a steward's acceptance of warnings without explanation. `progress` gets
    (stage, rows done, rows in all) as the work goes on. `on_loaded(result)` runs inside the
    load's transaction once the file is judged loadable, so what the caller records about the
    load commits with it.
    """
    report = progress or (lambda stage, done, total: None)
    name = file_name or path.name
    if not path.is_file():
        raise SubmissionError(
            name, "L0_UNREADABLE",
            f"No se encuentra el archivo {path}.", f"The file {path} does not exist.",
        )  # fmt: skip
    std = load_standard()
    report(READ, 0, 0)
    try:
        read = read_any(path, max_bytes=settings.PRIMI_UPLOAD_MAX_BYTES, defaults=defaults)
    except ReadError as err:
        raise SubmissionError.from_read_error(err, name) from None
    rows = read.rows_read
    if rows > settings.PRIMI_UPLOAD_MAX_ROWS:
        raise SubmissionError(
            name, "L0_ROWS",
            f"{name}: {rows} filas; el límite es {settings.PRIMI_UPLOAD_MAX_ROWS}.",
            f"{name}: {rows} rows; the limit is {settings.PRIMI_UPLOAD_MAX_ROWS}.",
        )  # fmt: skip
    if responsibility is not None:
        known = {df.id for df in std.dataflows}  # an unknown id gets L0_DATAFLOW below
        for dataflow in _named_dataflows(read.dataflows):
            if dataflow in known:
                responsibility.check(name, dataflow)
    if read.refused:
        return _refused_read(read, name, dry_run, std)
    dataflow = _one_dataflow(read.dataflows, name, std)
    report(CHECK, 0, rows)
    table, resolved = resolve_codes(read.table, std, name)
    result = SubmissionResult(name, dataflow, rows, dry_run)

    def judge(findings: list[Finding]) -> bool:
        """Record the findings; True when they keep the file out of the store."""
        result.findings = read.locate(findings)
        result.unexplained = (
            [] if override else unexplained_warnings(result.findings, explanations or {})
        )
        return bool(result.errors or result.unexplained)

    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="primi-submit") as worker:
        level_1 = worker.submit(check_level_1, table, std, dataflow=dataflow, file=name)
        # The load's own preparation runs beside level 1; its result, or its error, counts only
        # if the checks pass, since a frame that they refuse need not be loadable.
        prepared = None if dry_run else worker.submit(prepare_frame, table, dataflow)
        history = fetch_history(table, std, dataflow=dataflow, provider=provider)
        later = worker.submit(check_levels_2_3, table, std, file=name, history=history)
        digest = "" if dry_run else _sha256(path)
        found = [*read.findings, *resolved]

        def every_finding() -> list[Finding]:
            return [*found, *level_1.result(), *later.result()]

        if dry_run or any(f.severity == ERROR for f in found):
            judge(every_finding())
            return result

        def withdraw(wait: bool) -> bool:
            if wait or (level_1.done() and later.done()):
                return judge(every_finding())
            return level_1.done() and any(f.severity == ERROR for f in level_1.result())

        def loaded(load: LoadResult) -> None:
            result.load = load
            if on_loaded is not None:
                on_loaded(result)

        # The rows are written while every level checks the file, inside one transaction: if
        # the checks keep the file out, the load is rolled back before it commits.
        try:
            result.load = load_frame(
                prepared.result(),
                provider=provider,
                dataflow=dataflow,
                file_name=name,
                file_sha256=digest,
                publish=publish,
                notes={
                    "explanations": explanations or {},
                    "override": override,
                    SHEETS_NOTE: list(read.sheets),
                },
                progress=lambda done: report(LOAD, done, rows),
                withdraw=withdraw,
                before_commit=loaded,
            )
        except LoadWithdrawn:
            judge(every_finding())
        except Exception:
            # Rows the checks refuse can make the database refuse them too (a number out of
            # range, a missing period): then the findings say why, not the database.
            if not judge(every_finding()):
                raise
    return result


def _refused_read(read: FileData, name: str, dry_run: bool, std: Standard) -> SubmissionResult:
    """The cells the reader could not read, and what level 1 finds in the rows it could.

    Both in one report, so that one correction of the file fixes unreadable cells and bad codes
    alike. Levels 2-3 are left out: sums and revisions over a file with rows missing would
    report differences that are not in the file.
    """
    findings = list(read.findings)
    try:
        dataflow = _one_dataflow(read.dataflows, name, std)
    except SubmissionError:
        dataflow = ", ".join(sorted(read.dataflows)) or "-"
    else:
        if read.table.num_rows:
            table, resolved = resolve_codes(read.table, std, name)
            findings += [*resolved, *check_level_1(table, std, dataflow=dataflow, file=name)]
    return SubmissionResult(name, dataflow, read.rows_read, dry_run, read.locate(findings))


def _named_dataflows(refs: set[str]) -> list[str]:
    """The dataflow ids a file's structure references name, those that can be parsed."""
    named = set()
    for ref in refs:
        try:
            named.add(parse_structure_ref(ref)[1])
        except ValueError:
            continue
    return sorted(named)


def _one_dataflow(refs: set[str], name: str, std: Standard) -> str:
    """The one PRIMI dataflow a file was sent against."""
    if len(refs) != 1:
        flows = ", ".join(sorted(refs)) or "-"
        raise SubmissionError(
            name, "L0_ONE_DATAFLOW",
            f"{name}: un archivo lleva un solo flujo de datos; este lleva: {flows}.",
            f"{name}: a file carries one dataflow; this one carries: {flows}.",
        )  # fmt: skip
    dataflow = parse_structure_ref(next(iter(refs)))[1]
    try:
        std.dataflow(dataflow)
    except KeyError:
        raise SubmissionError(
            name, "L0_DATAFLOW",
            f"{name}: {dataflow} no es un flujo de datos de PRIMI.",
            f"{name}: {dataflow} is not a PRIMI dataflow.",
        ) from None  # fmt: skip
    return dataflow
