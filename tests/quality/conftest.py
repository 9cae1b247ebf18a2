"""The workflow's people (tests/region_people.py), for the level-4 runs a steward's move starts."""

from region_people import people  # noqa: F401 - a fixture
