"""Only the npm files the pages use are served and collected: every `vendor/...` name the code
asks for is found in the real node_modules, with the source maps those files name, and nothing
else of the packages is (their other bundles and sources stay out of /static/)."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from primi.operations.vendor_finder import VendorFinder

SOURCE = Path(__file__).resolve().parents[2] / "src" / "primi"
ASKED = re.compile(r"""['"](vendor/[\w.-]+/[\w./-]+\.(?:js|css|json))['"]""")


def _asked_for() -> set[str]:
    """Every vendor file named in a template or module of the project."""
    names = set()
    for path in SOURCE.rglob("*"):
        if path.suffix in (".html", ".py", ".js") and "static" not in path.parts[-3:-1]:
            names.update(ASKED.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_vendor_file_the_code_names_is_found() -> None:
    asked = _asked_for()
    # The charts' three scripts, the map, htmx and the API's documentation page at least.
    used = {"vendor/vega/vega.min.js", "vendor/world-atlas/countries-50m.json",
            "vendor/htmx/htmx.min.js", "vendor/swagger-ui/swagger-ui-bundle.js"}  # fmt: skip
    assert used <= asked
    missing = [name for name in sorted(asked) if finders.find(name) is None]
    assert missing == []


def test_the_source_maps_a_file_names_are_served_with_it() -> None:
    finder = VendorFinder()
    listed = {storage.prefix + "/" + name for name, storage in finder.list([])}
    assert listed == set(finder.files)  # every listed file exists in node_modules
    for path in listed:
        text = Path(finders.find(path)).read_bytes()[-400:].decode("utf-8", "replace")
        for named in re.findall(r"sourceMappingURL=([\w.-]+)", text):
            assert f"{path.rsplit('/', 1)[0]}/{named}" in listed, (path, named)


def test_the_rest_of_the_packages_stays_out() -> None:
    finder = VendorFinder()
    modules = Path(settings.NODE_MODULES)
    assert (modules / "vega" / "build" / "vega.js").is_file()  # there, but not asked for
    assert (modules / "world-atlas" / "countries-10m.json").is_file()
    left_out = (
        "vendor/vega/vega.js",
        "vendor/world-atlas/countries-10m.json",
        "vendor/swagger-ui/swagger-ui-es-bundle.js",
        "vendor/vega/../../package.json",
    )
    for path in left_out:
        assert finder.find(path) == [] and finder.find(path, find_all=True) == []
        assert finders.find(path) is None
    served = [name for _folder, files in settings.VENDOR_FILES.values() for name in files]
    assert len(list(finder.list([]))) == len(served)
    maps = [name for name in served if name.endswith(".map")]
    assert len(maps) == 3
    assert len(list(finder.list(["*.map"]))) == len(served) - 3  # collectstatic's --ignore
