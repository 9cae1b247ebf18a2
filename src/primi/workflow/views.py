"""Submission pages: send a file, follow its check, read its report, download a template.

Views stay thin: the work is in `submission_file`, `tasks` and `progress`. A user sees only the
uploads `scopes` lets them see. The sandbox's practice page is this same page (`send_page`) over
the user's practice institution, so practice files get the very same checks and report.
"""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language

from primi.checks.annotated_workbook import annotate_workbook
from primi.checks.report import findings_from_json
from primi.ingest.template import write_template
from primi.workflow import intake, scopes
from primi.workflow.forms import ExplanationForm, TemplateForm, UploadForm
from primi.workflow.models import Institution, Review, Upload
from primi.workflow.progress import read_progress
from primi.workflow.tasks import process_upload


def _own_upload(request: HttpRequest, upload_id: str, *, acting: bool = False) -> Upload:
    """The upload if the user may see it (`scopes.visible_institutions`: its providers, their
    country's coordinators, stewards; a practice upload, its owner only) or, `acting`, act on it
    (its providers, stewards); 404 otherwise, with no hint it exists."""
    user = request.user
    allowed = scopes.visible_institutions(user)
    if acting and not scopes.is_steward(user):
        allowed = scopes.acting_institutions(user)
    upload = (
        Upload.objects.filter(pk=upload_id, institution__in=allowed)
        .select_related("institution")
        .first()
    )
    if upload is None:
        raise Http404
    return upload


def send_page(
    request: HttpRequest, institutions: QuerySet[Institution], *, practice: bool = False
) -> HttpResponse:
    """The sending form for these institutions and their latest files; a file sent is received
    and its check queued, and the browser goes to its page."""
    form = UploadForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        upload = intake.receive(
            request,
            user=request.user,
            institution=form.cleaned_data["institution"],
            sent=form.cleaned_data["file"],
            check_only=form.cleaned_data["check_only"],
        )
        process_upload.enqueue(str(upload.pk))
        return redirect("workflow:upload", upload_id=upload.pk)
    uploads = Upload.objects.filter(institution__in=institutions).select_related("institution")
    context = {"form": form, "uploads": uploads[:20], "practice": practice}
    return render(request, "workflow/upload_new.html", context)


@login_required
def upload_new(request: HttpRequest) -> HttpResponse:
    return send_page(request, scopes.member_institutions(request.user))


def _detail(request: HttpRequest, upload: Upload, form: ExplanationForm | None = None) -> dict:
    rules = upload.report.get("unexplained") or []
    if form is None and rules:
        form = ExplanationForm(rules=rules, steward=scopes.is_steward(request.user))
    return {
        "upload": upload,
        "progress": read_progress(str(upload.pk)),
        "is_workbook": upload.original_name.lower().endswith(".xlsx"),
        # A sheet column only where a finding names one: a text file has no sheets.
        "has_sheets": any(f.get("sheet") for f in upload.report.get("findings") or []),
        "explain_form": form if rules else None,
        "practice": scopes.is_practice(upload.institution),
        "review": Review.objects.filter(submission_id=upload.submission_id).first()
        if upload.submission_id
        else None,
    }


@login_required
def upload_detail(request: HttpRequest, upload_id: str) -> HttpResponse:
    upload = _own_upload(request, upload_id)
    context = _detail(request, upload)
    if request.htmx and upload.state in (Upload.State.QUEUED, Upload.State.RUNNING):
        return render(request, "workflow/_progress.html", context)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "workflow/upload_detail.html", context)


@login_required
def upload_explain(request: HttpRequest, upload_id: str) -> HttpResponse:
    """Explain the warnings of a checked file and load it: a new run of the same stored file."""
    upload = _own_upload(request, upload_id, acting=True)
    rules = upload.report.get("unexplained") or []
    if request.method != "POST" or not rules:
        return redirect("workflow:upload", upload_id=upload.pk)
    form = ExplanationForm(request.POST, rules=rules, steward=scopes.is_steward(request.user))
    if not form.is_valid():
        return render(request, "workflow/upload_detail.html", _detail(request, upload, form))
    again = intake.receive_explained(
        request,
        user=request.user,
        checked=upload,
        explanations={r: form.cleaned_data[r].strip() for r in rules if form.cleaned_data.get(r)},
        override=bool(form.cleaned_data.get("override")),
    )
    process_upload.enqueue(str(again.pk))
    return redirect("workflow:upload", upload_id=again.pk)


@login_required
def upload_report(request: HttpRequest, upload_id: str) -> JsonResponse:
    upload = _own_upload(request, upload_id)
    return JsonResponse(
        {"id": str(upload.pk), "state": upload.state, "report": upload.report},
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def upload_annotated(request: HttpRequest, upload_id: str) -> FileResponse:
    """The uploaded workbook with the cells of the findings coloured and commented."""
    upload = _own_upload(request, upload_id)
    if not upload.original_name.lower().endswith(".xlsx") or "findings" not in upload.report:
        raise Http404
    lang = get_language() or "es"
    stem = Path(upload.original_name).stem
    out = Path(tempfile.mkdtemp()) / f"{stem}_{'informe' if lang == 'es' else 'report'}.xlsx"
    annotate_workbook(
        Path(upload.file.path),
        findings_from_json(upload.report),
        lang,
        out,
        rows_read=upload.report["summary"]["rows_read"],
    )
    return FileResponse(out.open("rb"), as_attachment=True, filename=out.name)


def template_download(request: HttpRequest) -> HttpResponse:
    lang = get_language() or "es"
    initial = {"lang": lang}
    if request.user.is_authenticated:
        own = scopes.member_institutions(request.user).first()
        initial["country"] = own.country if own else None
    form = TemplateForm(request.GET or None, lang=lang, initial=initial)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        name = f"PRIMI_{data['dataflow']}_{data['country']}_{data['lang']}.xlsx"
        path = Path(tempfile.mkdtemp()) / name
        write_template(data["dataflow"], data["country"], data["lang"], path)
        return FileResponse(path.open("rb"), as_attachment=True, filename=name)
    return render(request, "workflow/template_download.html", {"form": form})
