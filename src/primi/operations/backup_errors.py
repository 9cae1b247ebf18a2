"""Why a backup could not be written or a restore was refused, in Spanish and English.

Each refusal names the file and what is wrong with it, so the person at the console can act
without reading code; none shows a traceback.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    "no_file": (
        "{file}: no existe o no es un archivo.",
        "{file}: no such file, or not a regular file.",
    ),
    "no_folder": (
        "{file}: la carpeta {folder} no existe.",
        "{file}: the folder {folder} does not exist.",
    ),
    "not_backup": (
        "{file} no es una copia de PRIMI ({why_es}).",
        "{file} is not a PRIMI backup ({why_en}).",
    ),
    "format_newer": (
        "{file} tiene el formato de copia {found}; esta versión de PRIMI lee hasta el {known}. "
        "Actualice PRIMI para restaurarla.",
        "{file} is in backup format {found}; this version of PRIMI reads up to {known}. "
        "Upgrade PRIMI to restore it.",
    ),
    "truncated": (
        "{file} está truncado o incompleto: falta {member} o termina antes de su final. "
        "No se cambió nada.",
        "{file} is truncated or incomplete: {member} is missing or cut short. Nothing was changed.",
    ),
    "checksum": (
        "{file} está dañado: el contenido de {member} no coincide con su suma SHA-256. "
        "No se cambió nada.",
        "{file} is corrupt: the content of {member} does not match its SHA-256 checksum. "
        "Nothing was changed.",
    ),
    "unsafe_member": (
        "{file} contiene «{member}», una ruta o tipo de archivo que no se restaura (ruta "
        "absoluta, con «..», enlace o archivo especial). No se cambió nada.",
        "{file} holds '{member}', a path or kind of file that is never restored (absolute path, "
        "'..', link or special file). Nothing was changed.",
    ),
    "unlisted_member": (
        "{file} contiene {member}, que el manifiesto no menciona. No se cambió nada.",
        "{file} holds {member}, which its manifest does not list. Nothing was changed.",
    ),
    "wrong_engine": (
        "{file} es una copia de una base de datos {found}; la base de datos configurada es "
        "{configured}. No se cambió nada.",
        "{file} is a backup of a {found} database; the configured database is {configured}. "
        "Nothing was changed.",
    ),
    "newer_migrations": (
        "{file} viene de una versión más nueva de PRIMI: este código no conoce las migraciones "
        "{names}. Actualice PRIMI antes de restaurar. No se cambió nada.",
        "{file} comes from a newer version of PRIMI: this code does not know the migrations "
        "{names}. Upgrade PRIMI before restoring. Nothing was changed.",
    ),
    "not_empty": (
        "La base de datos configurada ({target}) ya tiene datos ({what}). No se cambió nada; "
        "para reemplazarla por {file}, use --replace.",
        "The configured database ({target}) already holds data ({what}). Nothing was changed; "
        "to replace it with {file}, use --replace.",
    ),
    "tool_missing": (
        "No se encuentra {tool} (buscado en $PGBIN, {default} y el PATH): instale "
        "postgresql-client-15 o indique su carpeta en PGBIN. {file}: nada escrito ni cambiado.",
        "{tool} was not found (looked in $PGBIN, {default} and PATH): install "
        "postgresql-client-15 or set PGBIN to its folder. {file}: nothing written or changed.",
    ),
    "dump_failed": (
        "No se pudo copiar la base de datos en {file}: {detail}. No quedó ningún archivo.",
        "The database could not be copied into {file}: {detail}. No file was left behind.",
    ),
    "write_failed": (
        "No se pudo escribir {file}: {detail}. No quedó ningún archivo.",
        "{file} could not be written: {detail}. No file was left behind.",
    ),
    "restore_failed": (
        "No se pudo restaurar {file}: {detail}. La base de datos quedó como estaba.",
        "{file} could not be restored: {detail}. The database is as it was.",
    ),
    "uploads_failed": (
        "La base de datos se restauró desde {file}, pero los archivos subidos no se pudieron "
        "poner en {folder}: {detail}. Están en {staged}.",
        "The database was restored from {file}, but the uploaded files could not be put in "
        "{folder}: {detail}. They are in {staged}.",
    ),
}

# Reasons a file is not a PRIMI backup, for `not_backup`.
WHY: dict[str, tuple[str, str]] = {
    "not_tar": ("no es un archivo tar", "not a tar archive"),
    "no_manifest": (
        "no empieza por el manifiesto manifest.json",
        "it does not start with the manifest manifest.json",
    ),
    "bad_manifest": ("su manifiesto no se puede leer", "its manifest cannot be read"),
}


class BackupError(Exception):
    """A backup not written or a restore refused; `message(lang)` says why, naming the file."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code, self.params = code, {k: str(v) for k, v in params.items()}
        super().__init__(self.message("en"))

    @classmethod
    def not_backup(cls, file: object, why: str) -> BackupError:
        es, en = WHY[why]
        return cls("not_backup", file=file, why=why, why_es=es, why_en=en)

    def message(self, lang: str) -> str:
        es, en = MESSAGES[self.code]
        return (es if lang == "es" else en).format(**self.params)
