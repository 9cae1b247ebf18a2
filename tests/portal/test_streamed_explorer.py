"""The explorer sends its form before reading the data: the first part reaches the client on its
own (gzip flushed), and a failure while reading the data is a message in the reader's language."""

import zlib

import lxml.html
import pytest
from explorer_frames import load_returns

from primi.portal import explorer_views

pytestmark = pytest.mark.django_db

URL = "/{lang}/explorer/?dataflow=DF_RETURNS&key=M..RET_NAT._T._T._T._T"


@pytest.fixture
def returns() -> None:
    load_returns()


def test_the_form_leaves_before_the_table_and_each_part_is_gzip_flushed(client, returns):
    response = client.get(URL.format(lang="en"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    parts = iter(response.streaming_content)
    unzip = zlib.decompressobj(wbits=31)
    first = unzip.decompress(next(parts)).decode()
    # The whole head and the filter form are readable from the first part alone...
    assert 'rel="preload" as="script"' in first and 'id="explorer-form"' in first
    assert 'id="explorer-table"' not in first
    rest = "".join(unzip.decompress(part).decode() for part in parts) + unzip.flush().decode()
    # ...and the rest completes the page: the table, then the footer and the chart scripts.
    assert 'id="explorer-table"' in rest and rest.rstrip().endswith("</html>")
    doc = lxml.html.fromstring(first + rest)
    cells = doc.xpath("//table[@id='explorer-table']/tbody/tr[1]/td/text()")
    assert cells == ["1,234.5", "2,100", "1,500.25"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("es", "No se pudieron leer las cifras"), ("en", "The figures could not be read")],
)
def test_a_failure_while_reading_the_data_is_a_message_not_a_traceback(
    client, returns, monkeypatch, caplog, lang, words
):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(explorer_views, "published_rows", broken)
    response = client.get(URL.format(lang=lang))
    html = response.getvalue().decode()
    assert response.status_code == 200  # sent with the form, before the data were read
    assert words in html
    assert "database went away" not in html and "Traceback" not in html
    assert html.rstrip().endswith("</html>")
    assert "database went away" in caplog.text  # logged for the team
