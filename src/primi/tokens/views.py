"""Token pages: the list, creating a token (shown once) and revoking one.

The token's text appears only in the answer to the creating POST, marked not to be stored by
the browser or any cache; every later page shows its prefix only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from primi.audit import trail
from primi.tokens import credentials, rights
from primi.tokens.forms import TokenForm
from primi.tokens.models import ApiToken


def _form(request: HttpRequest, data: dict | None = None) -> TokenForm:
    return TokenForm(
        data,
        institutions=rights.manageable_institutions(request.user),
        lang=get_language() or "es",
    )


def _list(request: HttpRequest, form: TokenForm, status: int = 200) -> HttpResponse:
    tokens = rights.visible_tokens(request.user).select_related("institution", "created_by")
    manageable = set(rights.manageable_institutions(request.user).values_list("pk", flat=True))
    context = {
        "tokens": [(token, token.institution_id in manageable) for token in tokens],
        "form": form if manageable else None,
    }
    return render(request, "tokens/list.html", context, status=status)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    return _list(request, _form(request))


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token for an institution the user acts for; its text is shown in this answer
    and nowhere else."""
    form = _form(request, request.POST)
    if not form.is_valid():
        return _list(request, form, status=400)
    data = form.cleaned_data
    token, text = credentials.issue(
        data["institution"], data["name"], data["dataflows"], request.user
    )
    trail.record(
        request,
        "token.created",
        obj=token,
        institution=token.institution,
        summary=f"{token.name} ({token.prefix})",
        prefix=token.prefix,
        dataflows=token.dataflows,
    )
    context = {
        "token": token,
        "text": text,
        "endpoint": request.build_absolute_uri("/api/submissions"),
    }
    response = render(request, "tokens/created.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke a token of an institution the user acts for; 404 for any other."""
    token = (
        ApiToken.objects.filter(
            pk=token_id, institution__in=rights.manageable_institutions(request.user)
        )
        .select_related("institution")
        .first()
    )
    if token is None:
        raise Http404
    if credentials.revoke(token):
        trail.record(
            request,
            "token.revoked",
            obj=token,
            institution=token.institution,
            summary=f"{token.name} ({token.prefix})",
            prefix=token.prefix,
        )
    return redirect(reverse("tokens:list"))
