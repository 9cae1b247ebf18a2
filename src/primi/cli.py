"""The `primi` command: run the demo, serve the site, load and export data, keep the standard.

Each verb is a thin shell over a function of the app that owns the work; this module only parses
arguments, sets Django up, shows progress and turns known errors into a message and exit status.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_NOTHING_LOADED, EXIT_USAGE = 0, 1, 2


def _primi_home() -> Path:
    return Path(os.environ.get("PRIMI_HOME", "var")).resolve()


def _ensure_secret_key(create: bool) -> None:
    """Take SECRET_KEY from the environment, else from the file the demo wrote in PRIMI_HOME."""
    if os.environ.get("SECRET_KEY"):
        return
    key_file = _primi_home() / "secret_key"
    if not key_file.exists() and create:
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    if key_file.exists():
        os.environ["SECRET_KEY"] = key_file.read_text().strip()
        return
    raise SystemExit(
        "SECRET_KEY is not set: export it, or run `primi demo` once to create one in PRIMI_HOME."
    )


def _setup_django(create_key: bool = False) -> None:
    _ensure_secret_key(create_key)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "primi.settings")
    _primi_home().mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:
    """Run in the worker's process before it starts: Linux sends it SIGTERM when `primi serve`
    dies, even by SIGKILL, so no worker is left behind taking tasks."""
    if sys.platform == "linux":
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _serve(port: int) -> None:
    """The site, and beside it a django-tasks worker for the checks and loads of uploads.
    SIGTERM (kill, systemd, docker stop) ends both, as Ctrl+C does."""
    import signal
    import subprocess

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    worker = subprocess.Popen(
        [sys.executable, "-m", "primi.cli", "worker", "--interval", "0.5"],
        preexec_fn=_stop_with_parent,
    )
    print(f"PRIMI: http://127.0.0.1:{port}/  (Ctrl+C: parar / stop)", flush=True)
    try:
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def cmd_demo(args: argparse.Namespace) -> int:
    _setup_django(create_key=True)
    _migrate()
    from primi.demo.loading import load_demo
    from primi.standard.versions import sync_standard

    created = sync_standard()
    print(
        f"Estándar: {len(created)} versiones nuevas de artefactos."
        if args.lang == "es"
        else f"Standard: {len(created)} new artefact version(s)."
    )
    from primi.deadlines.demo import demo_obligations
    from primi.workflow.demo_accounts import create_demo_accounts

    print(load_demo(progress=True))
    from primi.quality.runs import latest_full_run, run_level4

    if latest_full_run() is None:
        run = run_level4()
        print(
            f"Nivel 4 / level 4: {run.pairs_compared} pares comparados / pairs compared, "
            f"{run.finding_count} hallazgos / findings."
        )
    print(create_demo_accounts())
    demo_obligations()
    if not args.no_serve:
        _serve(args.port)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from primi.standard.versions import sync_standard

    sync_standard()  # /rest serves the stored versions: the shipped standard must be among them
    _serve(args.port)
    return EXIT_OK


def _defaults(args: argparse.Namespace) -> dict[str, str]:
    """Dimensions the file may leave out, given on the command line."""
    given = {"REF_AREA": args.country, "INDICATOR": args.indicator, "FREQ": args.freq}
    return {dim: value for dim, value in given.items() if value}


def _explanation(text: str) -> tuple[str, str]:
    rule, sep, why = text.partition("=")
    if not sep or not rule.strip() or not why.strip():
        raise argparse.ArgumentTypeError("use RULE=explanation")
    return rule.strip(), why.strip()


def _advancing(bar: Any) -> Callable[[str, int, int], None]:
    """A progress callback (stage, done, total) that moves the tqdm `bar`."""

    def advance(stage: str, done: int, total: int) -> None:
        bar.set_postfix_str(stage)
        bar.total = total or None
        bar.update(done - bar.n)

    return advance


def cmd_load(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from tqdm import tqdm

    from primi.workflow.submission_file import SubmissionError, submit_file

    with tqdm(desc="Load", unit=" obs", disable=None) as bar:
        advance = _advancing(bar)

        try:
            result = submit_file(
                Path(args.file),
                provider=args.provider,
                dry_run=args.dry_run,
                publish=args.publish,
                defaults=_defaults(args),
                explanations=dict(args.explain or []),
                override=args.accept_warnings,
                progress=advance,
            )
        except SubmissionError as exc:
            bar.close()
            print(exc.message(args.lang), file=sys.stderr)
            return EXIT_NOTHING_LOADED
    print(result.summary(args.lang))
    return EXIT_OK if result.loaded or (args.dry_run and not result.errors) else EXIT_NOTHING_LOADED


def cmd_export(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from tqdm import tqdm

    from primi.sdmx.export import ExportError, export_flow

    with tqdm(desc="Export", unit=" obs", disable=None) as bar:
        try:
            n = export_flow(
                args.flow,
                fmt=args.format,
                as_of=args.as_of,
                out=args.file,
                progress=lambda rows: bar.update(rows - bar.n),
            )
        except ExportError as exc:
            bar.close()
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
    if args.file:
        print(
            f"{n} observaciones escritas en {args.file}" if args.lang == "es"
            else f"{n} observations written to {args.file}",
            file=sys.stderr,
        )  # fmt: skip
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from primi.ingest.template import write_template

    try:
        write_template(args.flow, args.country, args.template_lang, Path(args.file))
    except (KeyError, ValueError) as exc:
        print(f"Desconocido / unknown: {exc.args[0]}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"Plantilla escrita en {args.file}" if args.template_lang == "es"
        else f"Template written to {args.file}"
    )  # fmt: skip
    return EXIT_OK


def cmd_standard_check(args: argparse.Namespace) -> int:
    from primi.standard.catalogue import load_standard
    from primi.standard.integrity import check_standard

    problems = check_standard(load_standard())
    for p in problems:
        message = p.message_es if args.lang == "es" else p.message_en
        print(f"{p.severity}\t{p.code}\t{p.where}\t{message}")
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    print(
        f"{len(errors)} error(es), {warnings} advertencia(s)."
        if args.lang == "es"
        else f"{len(errors)} error(s), {warnings} warning(s)."
    )
    return 1 if errors else EXIT_OK


def cmd_standard_export(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from primi.standard.structure_message import export_structures

    export_structures(Path(args.file))
    print(
        f"Mensaje de estructuras escrito en {args.file}"
        if args.lang == "es"
        else f"Structure message written to {args.file}"
    )
    return EXIT_OK


def cmd_quality_run(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from tqdm import tqdm

    from primi.quality.runs import run_level4

    with tqdm(desc="Level 4", unit=" comparisons", disable=None) as bar:
        advance = _advancing(bar)

        try:
            run = run_level4(rules=args.rule or (), progress=advance)
        except ValueError as exc:
            bar.close()
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
    print(
        f"{run.pairs_compared} pares comparados, {run.discrepancy_count} discrepancias, "
        f"{run.finding_count} hallazgos abiertos o actualizados (ejecución {run.pk})."
        if args.lang == "es"
        else f"{run.pairs_compared} pairs compared, {run.discrepancy_count} discrepancies, "
        f"{run.finding_count} findings opened or updated (run {run.pk})."
    )
    return EXIT_OK


def cmd_quality_findings(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    import json

    from primi.quality.listing import level4_findings

    findings = level4_findings(state=args.state, rule=args.rule)
    if args.format == "json":
        print(json.dumps(findings, ensure_ascii=False, indent=2))
        return EXIT_OK
    for f in findings:
        print(f"#{f['id']}\t{f['rule']}\t{f['state']}\t{','.join(f['countries'])}\t{f['title']}")
        for d in f["discrepancies"]:
            a, b = d["a"], d["b"]
            print(
                f"\t{a['key']} {a['period']} = {a['value']:g}\t"
                f"{b['key']} {b['period']} = {b['value']:g}\t{d['relative_difference']:.1%}"
            )
    print(
        f"{len(findings)} hallazgo(s)." if args.lang == "es" else f"{len(findings)} finding(s).",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_quality_reference(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    from tqdm import tqdm

    from primi.quality.reference_files import ReferenceFileError, load_reference

    path = Path(args.file)
    if not path.is_file():
        print(
            f"No existe el archivo {path}" if args.lang == "es" else f"No such file: {path}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    with tqdm(desc=args.source, unit=" rows", disable=None) as bar:

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            result = load_reference(args.source, path, progress=advance)
        except ReferenceFileError as exc:
            bar.close()
            print(str(exc), file=sys.stderr)
            return EXIT_NOTHING_LOADED
    print(
        f"{result.kept} cifras de referencia guardadas ({args.source}, carga {result.load.pk}); "
        f"{result.outside_region} fuera de la región y {result.unknown_codes} con códigos "
        "desconocidos, no guardadas."
        if args.lang == "es"
        else f"{result.kept} reference figures kept ({args.source}, load {result.load.pk}); "
        f"{result.outside_region} outside the region and {result.unknown_codes} with unknown "
        "codes, not kept."
    )
    return EXIT_OK


def cmd_quality_report(args: argparse.Namespace) -> int:
    _setup_django()
    _migrate()
    import datetime as dt

    from primi.quality.dashboard import default_year, followed_countries, trend_years
    from primi.quality.report_pdf import write_report

    country = args.country.upper()
    if country not in followed_countries():
        print(
            f"{country}: país sin calendario ni cifras publicadas en PRIMI."
            if args.lang == "es"
            else f"{country}: a country with no calendar nor published figures in PRIMI.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    year = args.year or default_year(dt.date.today())
    Path(args.file).write_bytes(write_report(country, trend_years(year), args.report_lang))
    print(
        f"Informe de {country} ({year}) escrito en {args.file}"
        if args.lang == "es"
        else f"Report of {country} ({year}) written to {args.file}"
    )
    return EXIT_OK


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    from primi.operations.workers import run_worker

    run_worker(queues=args.queue, interval=args.interval, worker_id=args.worker_id)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    _setup_django()
    from tqdm import tqdm

    from primi.operations.backups import BackupError, backup

    with tqdm(desc="Backup", unit="B", unit_scale=True, disable=None) as bar:
        try:
            summary = backup(Path(args.file), progress=_advancing(bar))
        except BackupError as err:
            print(err.message(args.lang), file=sys.stderr)
            return EXIT_NOTHING_LOADED
    print(summary.text(args.lang))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    _setup_django()
    from tqdm import tqdm

    from primi.operations.backups import BackupError, restore

    with tqdm(desc="Restore", unit="B", unit_scale=True, disable=None) as bar:
        try:
            summary = restore(Path(args.file), progress=_advancing(bar), replace=args.replace)
        except BackupError as err:
            print(err.message(args.lang), file=sys.stderr)
            return EXIT_NOTHING_LOADED
    print(summary.text(args.lang))
    return EXIT_OK


def _help_language(argv: Sequence[str] | None) -> str:
    """The language of the help texts: `--lang` if given, else PRIMI_LANG, else Spanish."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("PRIMI_LANG", "es")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, its help in Spanish or English."""
    english = _help_language(argv) == "en"

    def _t(es: str, en: str) -> str:
        return en if english else es

    parser = argparse.ArgumentParser(
        prog="primi",
        description=_t(
            "PRIMI: plataforma regional de estadísticas migratorias oficiales.",
            "PRIMI: regional platform for official migration statistics.",
        ),
    )
    parser.add_argument(
        "--lang",
        choices=["es", "en"],
        default=os.environ.get("PRIMI_LANG", "es"),
        help=_t(
            "idioma de los mensajes (por defecto: es, o PRIMI_LANG)",
            "language of messages (default: es, or PRIMI_LANG)",
        ),
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    p = verbs.add_parser(
        "demo",
        help=_t(
            "crear la base de datos, cargar el estándar y los datos de demostración, servir",
            "create the database, load the standard and demo data, serve",
        ),
    )
    p.add_argument(
        "--port",
        type=int,
        default=8000,
        help=_t("puerto en 127.0.0.1 (por defecto 8000)", "port on 127.0.0.1 (default 8000)"),
    )
    p.add_argument(
        "--no-serve",
        action="store_true",
        help=_t("cargarlo todo y parar", "load everything, then stop"),
    )
    p.set_defaults(func=cmd_demo)

    p = verbs.add_parser(
        "serve", help=_t("servir el sitio en 127.0.0.1", "serve the site on 127.0.0.1")
    )
    p.add_argument(
        "--port",
        type=int,
        default=8000,
        help=_t("puerto en 127.0.0.1 (por defecto 8000)", "port on 127.0.0.1 (default 8000)"),
    )
    p.set_defaults(func=cmd_serve)

    p = verbs.add_parser(
        "load",
        help=_t(
            "comprobar y cargar un archivo de datos (SDMX-CSV, CSV, xlsx, SDMX-ML, SDMX-JSON)",
            "check and load a data file (SDMX-CSV, CSV, xlsx, SDMX-ML, SDMX-JSON)",
        ),
    )
    p.add_argument("file", metavar="FILE", help=_t("el archivo que se carga", "the file to load"))
    p.add_argument(
        "--provider",
        required=True,
        metavar="INSTITUTION",
        help=_t(
            "código de la institución que envía, p. ej. GTM_IGM",
            "id of the providing institution, e.g. GTM_IGM",
        ),
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=_t("solo comprobar; no cambiar nada", "check only; change nothing"),
    )
    p.add_argument(
        "--publish",
        action="store_true",
        help=_t("publicar la revisión enseguida", "publish the revision at once"),
    )
    p.add_argument(
        "--country",
        metavar="ISO3",
        help=_t(
            "REF_AREA si el archivo no tiene esa columna",
            "REF_AREA when the file has no such column",
        ),
    )
    p.add_argument(
        "--indicator",
        metavar="ID",
        help=_t("INDICATOR si el archivo no la tiene", "INDICATOR when the file has none"),
    )
    p.add_argument(
        "--freq",
        choices=["A", "Q", "M"],
        help=_t("FREQ si el archivo no la tiene", "FREQ when the file has none"),
    )
    p.add_argument(
        "--explain",
        metavar="RULE=TEXT",
        action="append",
        type=_explanation,
        help=_t(
            "explicación de las advertencias de una regla, guardada con la revisión (repetible)",
            "explanation of a rule's warnings, kept with the revision (repeatable)",
        ),
    )
    p.add_argument(
        "--accept-warnings",
        action="store_true",
        help=_t(
            "cargar pese a advertencias sin explicar (decisión de la coordinación regional)",
            "load despite unexplained warnings (the regional steward's override)",
        ),
    )
    p.set_defaults(func=cmd_load)

    p = verbs.add_parser(
        "export",
        help=_t(
            "escribir los datos publicados de un flujo de datos",
            "write a dataflow's published data",
        ),
    )
    p.add_argument(
        "--flow",
        required=True,
        metavar="DF_ID",
        help=_t("código del flujo de datos, p. ej. DF_FLOWS", "dataflow id, e.g. DF_FLOWS"),
    )
    p.add_argument(
        "--format",
        default="sdmx-csv",
        choices=["sdmx-csv"],
        help=_t("formato de salida", "output format"),
    )
    p.add_argument(
        "--as-of",
        metavar="T",
        help=_t(
            "los datos tal como estaban publicados en este instante ISO",
            "the data as published at this ISO timestamp",
        ),
    )
    p.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help=_t(
            "archivo de salida (por defecto: la salida estándar)", "output file (default: stdout)"
        ),
    )
    p.set_defaults(func=cmd_export)

    p = verbs.add_parser(
        "template",
        help=_t(
            "escribir una plantilla de Excel para un flujo de datos y un país",
            "write an Excel template for a dataflow and a country",
        ),
    )
    p.add_argument(
        "flow",
        metavar="DF_ID",
        help=_t("código del flujo de datos, p. ej. DF_FLOWS", "dataflow id, e.g. DF_FLOWS"),
    )
    p.add_argument(
        "--country",
        required=True,
        metavar="ISO3",
        help=_t("país que informa, p. ej. GTM", "reporting country, e.g. GTM"),
    )
    p.add_argument(
        "--lang",
        dest="template_lang",
        choices=["es", "en"],
        default="es",
        help=_t("idioma de la plantilla (por defecto es)", "language of the template (default es)"),
    )
    p.add_argument(
        "file",
        metavar="FILE",
        help=_t("el archivo .xlsx que se escribe", "the .xlsx file to write"),
    )
    p.set_defaults(func=cmd_template)

    p = verbs.add_parser(
        "standard",
        help=_t(
            "comprobar o exportar el estándar regional", "check or export the regional standard"
        ),
    )
    standard = p.add_subparsers(dest="standard_verb", required=True, metavar="ACTION")
    s = standard.add_parser(
        "check",
        help=_t(
            "informar de referencias rotas y traducciones que faltan",
            "report broken references and missing translations",
        ),
    )
    s.set_defaults(func=cmd_standard_check)
    s = standard.add_parser(
        "export",
        help=_t(
            "escribir todas las estructuras en un mensaje SDMX-ML 2.1",
            "write every structure as one SDMX-ML 2.1 message",
        ),
    )
    s.add_argument("file", metavar="FILE", help=_t("archivo de salida", "output file"))
    s.set_defaults(func=cmd_standard_export)

    p = verbs.add_parser(
        "quality",
        help=_t(
            "comparar países y fuentes de referencia (nivel 4)",
            "compare countries and reference sources (level 4)",
        ),
    )
    quality = p.add_subparsers(dest="quality_verb", required=True, metavar="ACTION")
    s = quality.add_parser(
        "run",
        help=_t(
            "ejecutar las comparaciones del estándar y abrir o actualizar hallazgos",
            "run the standard's comparisons and open or update findings",
        ),
    )
    s.add_argument(
        "--rule",
        action="append",
        metavar="RULE",
        help=_t("solo esta regla (repetible), p. ej. L4_ROUTE", "only this rule (repeatable)"),
    )
    s.set_defaults(func=cmd_quality_run)
    s = quality.add_parser(
        "findings",
        help=_t("listar los hallazgos de nivel 4", "list the level-4 findings"),
    )
    s.add_argument("--format", choices=["text", "json"], default="text")
    s.add_argument(
        "--state",
        choices=["open", "explained", "corrected", "accepted"],
        help=_t("solo los de este estado", "only those in this state"),
    )
    s.add_argument("--rule", metavar="RULE", help=_t("solo esta regla", "only this rule"))
    s.set_defaults(func=cmd_quality_findings)
    s = quality.add_parser(
        "reference",
        help=_t(
            "guardar un archivo de una fuente de referencia (UNDESA, UNHCR, WB)",
            "keep a file of a reference source (UNDESA, UNHCR, WB)",
        ),
    )
    s.add_argument("source", metavar="SOURCE", help=_t("UNDESA, UNHCR o WB", "UNDESA, UNHCR or WB"))
    s.add_argument("file", metavar="FILE", help=_t("archivo CSV de la fuente", "the source's CSV"))
    s.set_defaults(func=cmd_quality_reference)
    s = quality.add_parser(
        "report",
        help=_t(
            "escribir el informe de calidad de un país en PDF (reuniones regionales)",
            "write a country's quality report as PDF (for regional meetings)",
        ),
    )
    s.add_argument("country", metavar="ISO3", help=_t("país, p. ej. GTM", "country, e.g. GTM"))
    s.add_argument("file", metavar="FILE", help=_t("el archivo .pdf", "the .pdf file to write"))
    s.add_argument(
        "--year",
        type=int,
        help=_t("año evaluado (por defecto el último completo)", "year scored (default: last)"),
    )
    s.add_argument(
        "--lang",
        dest="report_lang",
        choices=["es", "en", "fr"],
        default="es",
        help=_t("idioma del informe (por defecto es)", "language of the report (default es)"),
    )
    s.set_defaults(func=cmd_quality_report)

    p = verbs.add_parser(
        "worker",
        help=_t(
            "ejecutar tareas de fondo (cargas, publicaciones, nivel 4); tantos como se quiera",
            "run background tasks (loads, releases, level 4); as many as you like",
        ),
    )
    p.add_argument(
        "--queue",
        action="append",
        metavar="QUEUE",
        help=_t("solo esta cola (repetible; por defecto: todas)", "only this queue (repeatable)"),
    )
    p.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help=_t("segundos entre consultas a la cola", "seconds between looks at the queue"),
    )
    p.add_argument(
        "--worker-id",
        metavar="ID",
        help=_t("nombre único del proceso (por defecto: al azar)", "unique name (default: random)"),
    )
    p.set_defaults(func=cmd_worker)

    p = verbs.add_parser(
        "backup",
        help=_t(
            "copiar la base de datos y los archivos subidos en un archivo, con el sitio en uso",
            "copy the database and the uploaded files into one file, while the site is in use",
        ),
    )
    p.add_argument("file", metavar="FILE", help=_t("el archivo de copia", "the backup file"))
    p.set_defaults(func=cmd_backup)

    p = verbs.add_parser(
        "restore",
        help=_t(
            "restaurar una copia hecha con `primi backup`",
            "restore a copy made by `primi backup`",
        ),
    )
    p.add_argument("file", metavar="FILE", help=_t("el archivo de copia", "the backup file"))
    p.add_argument(
        "--replace",
        action="store_true",
        help=_t(
            "reemplazar una base de datos que ya tiene datos",
            "replace a database that already holds data",
        ),
    )
    p.set_defaults(func=cmd_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `primi` console script."""
    args = build_parser(argv).parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Interrumpido. / Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
