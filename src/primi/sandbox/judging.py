"""Whether a user has done an exercise, read from what they did in their practice copy.

Nothing is ticked by hand: a step is done when the copy's uploads and review steps show it. A
file exercise wants a check whose report found every fault put in the file, then a load (so no
errors, every warning explained) that still holds the cells the faults were in; the warning
exercise wants that load to carry an explanation of the warning and the figure unchanged; the
workflow exercises want a release, or a return with its comment, made in the copy.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from primi.sandbox.exercises import EXPLAIN, FIX, RELEASE, RETURN, Exercise, exercise_file
from primi.sandbox.models import PracticeCopy
from primi.store.models import Observation
from primi.workflow.models import ReviewStep, Upload


@dataclass(frozen=True)
class Step:
    label: Promise
    done: bool


@dataclass(frozen=True)
class Progress:
    exercise: Exercise
    steps: tuple[Step, ...]

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)


def _found_every_fault(uploads: list[Upload], exercise: Exercise) -> bool:
    """Some upload's report names every injected fault (row, column, rule) of the file."""
    wanted = {(f.row, f.column, f.rule) for f in exercise_file(exercise.slug).faults}
    for upload in uploads:
        found = {
            (f.get("row"), f.get("column"), f.get("rule"))
            for f in upload.report.get("findings") or []
        }
        if wanted <= found:
            return True
    return False


def _holds_targets(upload: Upload, exercise: Exercise) -> bool:
    """The upload's loaded submission holds every target cell (with its value, if one is set)."""
    targets = exercise_file(exercise.slug).targets
    if upload.submission_id is None or not targets:
        return False
    cells = Q()
    for cell in targets:
        cells |= Q(series__key=cell.key, time_period=cell.period)
    loaded = {
        (key, period): value
        for key, period, value in Observation.objects.filter(
            cells, submission_id=upload.submission_id
        ).values_list("series__key", "time_period", "obs_value")
    }
    return all(
        (cell.key, cell.period) in loaded
        and (cell.value is None or loaded[(cell.key, cell.period)] == cell.value)
        for cell in targets
    )


def _loaded(uploads: list[Upload], exercise: Exercise, *, explained: str = "") -> bool:
    return any(
        upload.submission_id is not None
        and (not explained or (upload.explanations or {}).get(explained, "").strip())
        and _holds_targets(upload, exercise)
        for upload in uploads
    )


def _progress(exercise: Exercise, copy: PracticeCopy, uploads: list[Upload]) -> Progress:
    if exercise.kind == FIX:
        steps = (
            Step(
                _("The file checked, and its faults found"), _found_every_fault(uploads, exercise)
            ),
            Step(_("The corrected file loaded without errors"), _loaded(uploads, exercise)),
        )
    elif exercise.kind == EXPLAIN:
        rule = exercise_file(exercise.slug).faults[0].rule
        steps = (
            Step(_("The warning found"), _found_every_fault(uploads, exercise)),
            Step(
                _("The file loaded with the figure unchanged and the warning explained"),
                _loaded(uploads, exercise, explained=rule),
            ),
        )
    else:
        moves = ReviewStep.objects.filter(review__institution=copy.institution)
        if exercise.kind == RELEASE:
            steps = (
                Step(
                    _("A submission released in practice"),
                    moves.filter(action=ReviewStep.Action.RELEASE).exists(),
                ),
            )
        elif exercise.kind == RETURN:
            steps = (
                Step(
                    _("A submission sent back with a comment"),
                    moves.filter(action=ReviewStep.Action.RETURN).exclude(comment="").exists(),
                ),
            )
        else:
            raise ValueError(exercise.kind)
    return Progress(exercise, steps)


def progress(copy: PracticeCopy, exercises: tuple[Exercise, ...]) -> list[Progress]:
    """Each exercise's steps, done or not, in the given copy."""
    uploads = list(Upload.objects.filter(institution=copy.institution))
    return [_progress(exercise, copy, uploads) for exercise in exercises]
