"""The npm files the pages use, found for `collectstatic` and for /static/vendor/<name>/.

Whole package folders hold far more than the pages load (vega-lite's sources, swagger-ui's other
bundles, world-atlas's 10m files): compressing all of them with gzip and brotli took 82-86 s on
every `collectstatic`, which `primi serve` runs at each start. Only the files named in
`settings.VENDOR_FILES` are found here, with the source maps their last lines name (the manifest
storage of production refuses a file that names one it cannot find).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning as CheckWarning
from django.core.files.storage import FileSystemStorage

PREFIX = "vendor"


class VendorFinder(BaseFinder):
    """`settings.VENDOR_FILES`: {name: (folder under NODE_MODULES, [files])}."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        modules = Path(settings.NODE_MODULES)
        self.files: dict[str, tuple[FileSystemStorage, str]] = {}
        for name, (folder, files) in settings.VENDOR_FILES.items():
            storage = FileSystemStorage(location=modules / folder)
            storage.prefix = f"{PREFIX}/{name}"
            for file in files:
                self.files[f"{storage.prefix}/{file}"] = (storage, file)
        super().__init__(*args, **kwargs)

    def check(self, **kwargs: Any) -> list[CheckWarning]:
        missing = [path for path, (storage, file) in self.files.items() if not storage.exists(file)]
        if not missing:
            return []
        return [
            CheckWarning(
                f"npm files missing: {', '.join(missing)}.",
                hint="Run `make install` (npm ci), or set PRIMI_NODE_MODULES.",
                id="primi.W001",
            )
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        """The file's path; like Django's finders, an empty list when there is none."""
        found = self.files.get(path)
        if found is None or not found[0].exists(found[1]):
            return []
        match = found[0].path(found[1])
        return [match] if find_all else match

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for storage, file in self.files.values():
            if storage.exists(file) and not utils.matches_patterns(file, ignore_patterns or ()):
                yield file, storage
