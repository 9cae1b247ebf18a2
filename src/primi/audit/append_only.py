"""Rows written once and never edited nor deleted: audit events, review steps, finding messages.

One base for them all, so "nothing is overwritten" means the same everywhere: saving a row that
exists, deleting one, or updating or deleting through a queryset raises `AppendOnlyError`.
(On PostgreSQL the audit table is also guarded by a trigger; see audit's migrations.)
"""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnlyError(Exception):
    """An attempt to edit or delete a row that is only ever appended."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never edited")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never deleted")


class AppendOnlyModel(models.Model):
    """An abstract model whose rows are appended, then only read."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"a {self._meta.verbose_name} is never edited")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"a {self._meta.verbose_name} is never deleted")
