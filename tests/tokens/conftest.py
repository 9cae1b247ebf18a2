"""Guatemala's and Mexico's institutions, their providers, Guatemala's coordinator and a
regional steward, and tokens made through the real page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from region_people import client_for
from token_people import TOKEN_TEXT


@pytest.fixture
def make_token() -> Callable[..., str]:
    """Create a token through the page as `user`; the text the page shows, once."""

    def make(user, institution, name: str = "nightly", dataflows: tuple[str, ...] = ()) -> str:
        data = {"institution": institution.pk, "name": name, "dataflows": list(dataflows)}
        response = client_for(user).post("/en/tokens/new/", data)
        assert response.status_code == 200, response.content.decode()[:2000]
        return TOKEN_TEXT.search(response.content.decode()).group(0)

    return make
