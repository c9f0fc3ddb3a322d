"""The yearly report in the browser: rounds, contributions, compilation, preview,
finalising, corrections and the files."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from bolig.views import read_only, saved_row
from rapportering.charts import bar_chart
from rapportering.exports import FORMATS, in_report_language, report_filename
from rapportering.forms import (
    CompilationForm,
    ContributionForm,
    ContributionReturnForm,
    CorrectionForm,
    DispatchForm,
    ReportRoundForm,
)
from rapportering.models import ReportRound
from rapportering.reminders import last_reminders, round_reminders_send
from rapportering.report import Report, build_report
from rapportering.rounds import (
    contribution_progress,
    missing_content,
    next_undelivered,
    round_deadlines,
)
from rapportering.selectors import (
    contribution_of,
    contribution_rows,
    final_report_for_page,
    last_years_contribution,
    measure_year_occurrences,
    others_delivered_contributions,
    round_for_page,
    round_versions,
    rounds_with_versions,
    stored_file,
)
from rapportering.services import (
    DispatchRefused,
    NotDelivered,
    ReportIncomplete,
    RoundStateError,
    contribution_return,
    contribution_save,
    correction_start,
    dispatch_record,
    report_finalise,
    round_compilation_save,
)
from tiltak import clock
from tiltak.models import Actor, Measure, Occurrence
from tiltak.permissions import (
    can_compile_reports,
    can_contribute,
    can_view_drafts,
    contributions_shown,
    missing_shown,
    require,
    updatable,
)
from tiltak.views import next_url


def _report_context(report):
    """What the report's page needs; it shows the report in the report's language."""
    return {
        "report": report,
        "charts": [bar_chart(c.key, c.title, c.tallies) for c in report.charts],
        "report_language": settings.LANGUAGE_CODE,
    }


@read_only
def round_list(request):
    return render(
        request,
        "rapportering/round_list.html",
        {"rounds": rounds_with_versions(), "can_compile": can_compile_reports(request.user)},
    )


@require_http_methods(["GET", "POST"])
def round_create(request):
    require(can_compile_reports(request.user))
    form = ReportRoundForm(request.POST or None)
    if form.is_valid():
        form.instance.opened_by = request.user
        round = form.save()
        messages.success(request, _("The report round is open."))
        return redirect(round)
    return render(
        request,
        "rapportering/round_form.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )


@read_only
def round_detail(request, pk):
    """The round's state and deadlines, each directorate's progress, the finalised versions,
    and while it is open the missing list: the coordinator's to-do list, grouped by who must
    put each thing in place, from which the reminders are sent."""
    round = round_for_page(pk)
    can_compile = can_compile_reports(request.user)
    today = clock.today()
    with_coordinator, directorates = missing_shown(request.user, round.participants.directorates)
    missing = missing_content(round, today) if round.is_editable else None
    context = {
        "round": round,
        "versions": round_versions(round),
        "can_compile": can_compile,
        "can_view_drafts": can_view_drafts(request.user),
        "progress": contribution_progress(round),
        "deadlines": round_deadlines(round, today),
        "late": round.internal_deadline < today,
        "missing": missing,
        "missing_groups": _with_last_reminders(
            missing.groups_for(directorates, with_coordinator) if missing is not None else [],
            last_reminders(round) if can_compile else {},
        ),
        "reminders": round.reminders.select_related("directorate", "sent_by")
        if can_compile
        else [],
        **_saved_context(request, round, missing),
        "formats": FORMATS,
    }
    return render(request, "rapportering/round_detail.html", context)


def _with_last_reminders(groups, last):
    """Each `MissingGroup` with the last reminder its directorate got, or None."""
    return [(group, last.get(getattr(group.directorate, "pk", None))) for group in groups]


def _saved_context(request, round, missing):
    """The milestone occurrence of the round's plan whose status form led back here
    (`?lagret=`), to confirm its save in the groups of the list it belongs to, with what it
    still lacks; nothing when there is none."""
    pk = saved_row(request)
    saved = None
    if pk is not None:
        saved = (
            Occurrence.objects.filter(pk=pk, milestone__measure__plan=round.plan_id)
            .select_related("milestone__measure")
            .first()
        )
    if saved is None:
        return {}
    path = reverse("tiltak:occurrence-status", args=[saved.pk])
    milestone = saved.milestone
    return {
        "saved": saved,
        "saved_in": round.participants.concerned_by(milestone.measure_id, milestone.responsible_id),
        "saved_lacks": [item.text for item in missing or () if item.path == path],
    }


@require_POST
def round_remind(request, pk):
    """Email the directorates that lack something in the round (one, with `direktorat`) what
    they lack. A directorate reminded within a day is left out unless `igjen` confirms it."""
    round = round_for_page(pk)
    require(can_compile_reports(request.user))
    if not round.is_editable:
        messages.info(request, _("This report is already finalised."))
        return redirect(round)
    directorate = None
    if request.POST.get("direktorat"):
        directorate = get_object_or_404(
            Actor.objects.directorates(), short_name=request.POST["direktorat"]
        )
    result = round_reminders_send(
        round_id=round.pk,
        user=request.user,
        directorate=directorate,
        again=bool(request.POST.get("igjen")),
    )
    for reminder in result.sent:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(directorate)s (%(count)s recipient).",
                "Reminder sent to %(directorate)s (%(count)s recipients).",
                len(reminder.recipients),
            )
            % {"directorate": reminder.directorate.short_name, "count": len(reminder.recipients)},
        )
    for reminder in result.recently_reminded:
        messages.warning(
            request,
            _(
                "%(directorate)s was reminded %(when)s already and was not reminded again. "
                "Use «Send again» at the directorate to send one more."
            )
            % {
                "directorate": reminder.directorate.short_name,
                "when": date_format(timezone.localtime(reminder.sent_at), "SHORT_DATETIME_FORMAT"),
            },
        )
    for lacking in result.without_recipients:
        messages.error(
            request,
            _("%(directorate)s has no active user with an email address; nobody was reminded.")
            % {"directorate": lacking.short_name},
        )
    if not (result.sent or result.recently_reminded or result.without_recipients):
        messages.info(request, _("Nobody lacks anything: no reminder was sent."))
    return redirect(f"{round.get_absolute_url()}#reminders-heading")


@read_only
def contribution_list(request, pk):
    """A directorate's measures in the round, those lacking a contribution first. Directorate
    users see their own; coordinators choose among the directorates taking part."""
    round = round_for_page(pk)
    require(can_view_drafts(request.user))
    directorate, choices = contributions_shown(
        request.user, round.participants.directorates, request.GET.get("direktorat")
    )
    if directorate is None:
        raise Http404
    rows = contribution_rows(round, directorate)
    can_return = can_compile_reports(request.user) and round.is_editable
    context = {
        "round": round,
        "directorate": directorate,
        "directorates": choices,
        "rows": rows,
        "delivered": sum(1 for _measure, c in rows if c and c.is_delivered),
        "return_form": ContributionReturnForm() if can_return else None,
    }
    return render(request, "rapportering/contribution_list.html", context)


def _contributions_url(round, directorate):
    """The round's contributions page, showing `directorate`'s."""
    url = reverse("rapportering:report-contributions", args=[round.pk])
    return f"{url}?direktorat={directorate.short_name}"


@require_http_methods(["GET", "POST"])
def contribution_edit(request, pk, measure_pk, directorate_pk):
    round = round_for_page(pk)
    measure = get_object_or_404(Measure, pk=measure_pk, plan=round.plan_id)
    directorate = get_object_or_404(Actor.objects.directorates(), pk=directorate_pk)
    require(can_contribute(request.user, directorate))
    taking_part = round.participants.directorates_of(measure.pk)
    if directorate not in taking_part:
        raise Http404
    contribution = contribution_of(round, measure, directorate)
    last_year = last_years_contribution(round, measure, directorate)
    occurrences = measure_year_occurrences(measure, round.year)
    has_deviations = any(o.has_deviation() for o in occurrences)
    deliver = "lever" in request.POST
    back = next_url(request)  # opened from the round's missing list: back there after saving
    # "Copy last year's texts": the form again, holding them where last year had text and
    # what was typed elsewhere; nothing is saved.
    copy = "kopier" in request.POST
    if copy:
        form = ContributionForm(
            instance=contribution,
            initial={
                name: (last_year and getattr(last_year, name)) or request.POST.get(name, "")
                for name in ContributionForm.Meta.fields
            },
            has_deviations=has_deviations,
        )
    else:
        form = ContributionForm(
            request.POST or None,
            instance=contribution,
            deliver=deliver,
            has_deviations=has_deviations,
        )
    status = 200
    if request.method == "POST" and not copy:
        if form.is_valid():
            try:
                contribution_save(
                    round_id=round.pk,
                    measure=measure,
                    directorate=directorate,
                    user=request.user,
                    values=form.cleaned_data,
                    deliver=deliver,
                )
            except RoundStateError:
                messages.error(request, _("The report is finalised; contributions cannot change."))
                return redirect(round)
            messages.success(
                request,
                _("The contribution is delivered.") if deliver else _("The contribution is saved."),
            )
            following = next_undelivered(round, directorate) if deliver else None
            if request.POST.get("lever") == "neste" and following is not None:
                url = reverse(
                    "rapportering:contribution", args=[round.pk, following, directorate.pk]
                )
                return redirect(f"{url}?{urlencode({'neste': back})}" if back else url)
            return redirect(back or _contributions_url(round, directorate))
        status = 422
    context = {
        "round": round,
        "measure": measure,
        "directorate": directorate,
        "contribution": contribution,
        "occurrences": occurrences,
        "updatable": set(
            updatable(
                request.user, Occurrence.objects.filter(pk__in=[o.pk for o in occurrences])
            ).values_list("pk", flat=True)
        ),
        "form": form,
        "next": back,
        "copied": copy and last_year is not None,
        "last_year": last_year,
        "others": others_delivered_contributions(round, measure, directorate),
        "other_participants": len(taking_part) - 1,
        "return_form": (
            ContributionReturnForm()
            if contribution
            and contribution.is_delivered
            and round.is_editable
            and can_compile_reports(request.user)
            else None
        ),
    }
    return render(request, "rapportering/contribution_form.html", context, status=status)


@require_http_methods(["POST"])
def contribution_return_view(request, pk, measure_pk, directorate_pk):
    """The coordinator sends a delivered contribution back to its directorate, saying why;
    then back to the contributions page. Without a reason, the form again to give one."""
    round = round_for_page(pk)
    require(can_compile_reports(request.user))
    measure = get_object_or_404(Measure, pk=measure_pk, plan=round.plan_id)
    directorate = get_object_or_404(Actor.objects.directorates(), pk=directorate_pk)
    get_object_or_404(round.contributions, measure=measure, directorate=directorate)
    form = ContributionReturnForm(request.POST)
    if not form.is_valid():
        context = {
            "round": round,
            "measure": measure,
            "directorate": directorate,
            "form": form,
            "cancel_url": _contributions_url(round, directorate),
        }
        return render(request, "rapportering/contribution_return.html", context, status=422)
    try:
        contribution_return(
            round_id=round.pk,
            measure=measure,
            directorate=directorate,
            user=request.user,
            comment=form.cleaned_data["comment"],
        )
    except RoundStateError:
        messages.error(request, _("The report is finalised; contributions cannot change."))
    except NotDelivered:
        messages.error(request, _("The contribution is not delivered, so it cannot be returned."))
    else:
        messages.success(
            request,
            _("The contribution on measure %(number)s is returned to %(name)s.")
            % {"number": measure.number, "name": directorate.name},
        )
    return redirect(_contributions_url(round, directorate))


@require_http_methods(["GET", "POST"])
def round_compile(request, pk):
    round = round_for_page(pk)
    require(can_compile_reports(request.user))
    form = CompilationForm(request.POST or None, instance=round)
    if form.is_valid():
        try:
            round_compilation_save(round_id=round.pk, user=request.user, values=form.cleaned_data)
        except RoundStateError:
            messages.error(request, _("The report is finalised; start a correction to change it."))
        else:
            messages.success(request, _("The compilation is saved."))
        return redirect(f"{round.get_absolute_url()}#mangler-koordinator")
    context = {"round": round, "form": form, "missing": missing_content(round)}
    return render(
        request,
        "rapportering/round_compile.html",
        context,
        status=422 if form.is_bound else 200,
    )


@read_only
def round_preview(request, pk):
    round = round_for_page(pk)
    require(can_view_drafts(request.user))
    with in_report_language():
        report = build_report(plan=round.plan, year=round.year, round=round)
    context = {"round": round, **_report_context(report)}
    return render(request, "rapportering/report_page.html", context)


@require_http_methods(["GET", "POST"])
def round_finalise(request, pk):
    round = round_for_page(pk)
    require(can_compile_reports(request.user))
    if request.method == "GET" and not round.is_editable:
        messages.info(request, _("This report is already finalised."))
        return redirect(round)
    status = 200
    if request.method == "POST":
        try:
            final = report_finalise(round_id=round.pk, user=request.user)
        except ReportIncomplete as incomplete:
            missing, status = incomplete.missing, 422
        except RoundStateError:
            # Finalised since this page was opened: a second click, another tab or another
            # coordinator. The service decides that under the round's lock; say which version.
            context = {"round": round, "latest": round.latest_version()}
            return render(request, "rapportering/round_finalise.html", context, status=409)
        else:
            messages.success(
                request,
                _("The report is finalised as version %(version)s.") % {"version": final.version},
            )
            return redirect(final)
    else:
        missing = missing_content(round)
    context = {"round": round, "missing": missing, "submit_failed": status == 422}
    return render(request, "rapportering/round_finalise.html", context, status=status)


@require_http_methods(["GET", "POST"])
def round_correct(request, pk):
    round = round_for_page(pk)
    require(can_compile_reports(request.user))
    if round.state != ReportRound.State.FINALISED:
        return redirect(round)
    form = CorrectionForm(request.POST or None)
    if form.is_valid():
        try:
            correction_start(
                round_id=round.pk, user=request.user, reason=form.cleaned_data["reason"]
            )
        except RoundStateError:
            messages.info(request, _("The report is already open for correction."))
        else:
            messages.success(
                request,
                _("The report is open for correction. Finalise it again to make a new version."),
            )
        return redirect(round)
    context = {"round": round, "form": form, "latest": round.latest_version()}
    return render(
        request,
        "rapportering/round_correct.html",
        context,
        status=422 if form.is_bound else 200,
    )


def _file_response(data, format, filename):
    response = HttpResponse(data, content_type=FORMATS[format].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@read_only
def round_download(request, pk, format):
    """The report as a draft file built from the current data."""
    round = round_for_page(pk)
    require(can_compile_reports(request.user))
    if format not in FORMATS:
        raise Http404
    if not round.is_editable:
        messages.info(request, _("The report is finalised: download the files of its version."))
        return redirect(round.latest_version())
    with in_report_language():
        report = build_report(plan=round.plan, year=round.year, round=round)
        data = FORMATS[format].render(report)
    return _file_response(data, format, report_filename(report, FORMATS[format].extension))


def _dispatch_or_none(final):
    """The version's dispatch to the ministries, or None while none is recorded."""
    return getattr(final, "dispatch", None)


@read_only
def final_report(request, pk):
    final = final_report_for_page(pk)
    can_compile = can_compile_reports(request.user)
    context = {
        "final": final,
        "round": final.round,
        "intact": final.is_intact(),
        "can_download": can_compile,
        "files": [(FORMATS[file.format], file) for file in final.files.all()],
        "dispatch": _dispatch_or_none(final),
        "can_record_dispatch": can_compile and not hasattr(final, "replaced_by"),
        **_report_context(Report.from_dict(final.content)),
    }
    return render(request, "rapportering/report_page.html", context)


DISPATCH_REFUSALS = {
    DispatchRefused.ALREADY_RECORDED: _lazy(
        "The dispatch of this version is recorded already; it is shown below."
    ),
    DispatchRefused.REPLACED: _lazy(
        "This version was replaced by a later one: record the dispatch of the latest version."
    ),
}


@require_http_methods(["GET", "POST"])
def final_report_dispatch(request, pk):
    """Record that a finalised version was sent to the ministries. One record per version,
    and none for a version already replaced: the page then says so instead of the form."""
    final = final_report_for_page(pk)
    require(can_compile_reports(request.user))
    dispatch, refusal, form, status = _dispatch_or_none(final), None, None, 200
    if dispatch is not None:
        refusal = DispatchRefused.ALREADY_RECORDED
    elif hasattr(final, "replaced_by"):
        refusal = DispatchRefused.REPLACED
    else:
        form = DispatchForm(request.POST if request.method == "POST" else None, report=final)
    if form is not None and form.is_bound:
        if form.is_valid():
            try:
                dispatch_record(
                    report_id=final.pk,
                    user=request.user,
                    sent_on=form.cleaned_data["sent_on"],
                    recipients=form.cleaned_data["recipients"],
                    reference=form.cleaned_data["reference"],
                )
            except DispatchRefused as refused:  # since the page was read
                refusal = refused.reason
                final = final_report_for_page(pk)
                dispatch = _dispatch_or_none(final)
            except ValidationError as error:
                form.add_error(None, error)
                status = 422
            else:
                messages.success(request, _("The dispatch to the ministries is recorded."))
                return redirect(final)
        else:
            status = 422
    if refusal is not None and request.method == "POST":
        status = 409
    context = {
        "final": final,
        "round": final.round,
        "form": form,
        "dispatch": dispatch,
        "refusal": DISPATCH_REFUSALS[refusal] if refusal else None,
        "submit_failed": status == 409,
    }
    return render(request, "rapportering/final_report_dispatch.html", context, status=status)


@read_only
def final_report_file(request, pk, format):
    """A finalised report's file, byte for byte as it was made."""
    require(can_compile_reports(request.user))
    file = stored_file(pk, format)
    report = Report.from_dict(file.report.content)
    return _file_response(
        bytes(file.data), format, report_filename(report, FORMATS[format].extension)
    )
