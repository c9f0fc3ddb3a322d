"""The action plans of Bolig for velferd: who is responsible for what, and how it stands.

A plan has parts, a part has measures (tiltak), a measure may have sub-measures,
responsibilities and milestones (milepæler). A milestone falls due on one or more
occurrences; each occurrence carries its own status, and simple-history keeps every
earlier state of it. Whether an occurrence is overdue or in deviation is decided by
`OccurrenceQuerySet` and the matching properties on `Occurrence`, nowhere else.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tiltak import clock, formatting, free_text
from tiltak.history import historical_records
from tiltak.roles import role_of


class ActorQuerySet(models.QuerySet):
    def directorates(self):
        return self.filter(kind=Actor.Kind.DIRECTORATE)

    def resolve(self, name):
        """The actor known by `name`: short name, full name or another name, any case."""
        name = name.strip()
        return self.filter(
            Q(short_name__iexact=name) | Q(name__iexact=name) | Q(aliases__name__iexact=name)
        ).distinct()


class Actor(models.Model):
    """A directorate, a ministry or another body that a plan names."""

    class Kind(models.TextChoices):
        DIRECTORATE = "directorate", _("Directorate")
        MINISTRY = "ministry", _("Ministry")
        OTHER = "other", _("Other actor")

    name = free_text.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=20, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_coordinator = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("Coordinates the whole strategy (Husbanken)."),
    )
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", _("Nine digits, as in Enhetsregisteret."))],
        help_text=_(
            "Enhetsregisteret's number: a sign-in through Ansattporten that names it belongs "
            "to this directorate."
        ),
    )

    history = historical_records()
    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["kind", "-is_coordinator", "name"]

    def __str__(self):
        return self.short_name or self.name

    @property
    def is_directorate(self):
        return self.kind == self.Kind.DIRECTORATE


class ActorAlias(models.Model):
    """Another name a text uses for an actor, such as NAV for AVdir."""

    actor = models.ForeignKey(
        Actor, models.CASCADE, related_name="aliases", verbose_name=_("actor")
    )
    name = free_text.CharField(_("name"), max_length=200, unique=True)

    history = historical_records()

    class Meta:
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in. A directorate user belongs to one directorate."""

    directorate = models.ForeignKey(
        Actor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        limit_choices_to={"kind": Actor.Kind.DIRECTORATE},
        verbose_name=_("directorate"),
    )

    # The role is the user's group (tiltak.roles), so the groups are in the history too.
    history = historical_records(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def role(self):
        """The user's role (tiltak.roles.Role), or None; read once per request."""
        return role_of(self)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.is_active:
            # Deactivating a user, in the admin or anywhere, signs them out everywhere.
            UserSession.objects.filter(user_id=self.pk).delete()


class UserSession(AbstractBaseSession):
    """A session in the database (Django's own, through tiltak.sessions), with the user it
    signs in, so that a user's sessions are found by an index and ended on deactivation.

    The user is a plain indexed number, not a foreign key, as in Django's documentation:
    the session store writes it from the session's data, and a deleted user's sessions are
    already refused (their user is gone) until they expire."""

    user_id = models.BigIntegerField(null=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        from tiltak.sessions import SessionStore

        return SessionStore


class Goal(models.Model):
    """The strategy's main goals, priority areas, special effort and its result goals."""

    class Kind(models.TextChoices):
        MAIN_GOAL = "main_goal", _("Main goal")
        PRIORITY_AREA = "priority_area", _("Priority area")
        SPECIAL_EFFORT = "special_effort", _("Special effort")
        RESULT_GOAL = "result_goal", _("Result goal")

    code = models.CharField(_("code"), max_length=10, unique=True)
    title = free_text.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = historical_records()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position"]

    def __str__(self):
        return f"{self.code} {self.title}"


class Plan(models.Model):
    """An action plan (tiltaksplan or handlingsplan) with its period and its state.

    Work lists, reminders and calendar feeds follow active plans only; a closed plan is
    read-only but stays readable and reportable."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = free_text.CharField(_("title"), max_length=300)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    source = free_text.CharField(_("source"), max_length=500)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)

    history = historical_records()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["start", "slug"]
        indexes = [models.Index(fields=["start", "slug"], name="plan_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="plan_end_not_before_start",
                violation_error_message=_("A plan cannot end before it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tiltak:plan-detail", args=[self.slug])

    @property
    def is_closed(self):
        return self.state == self.State.CLOSED

    def has_ended(self, today=None):
        """Whether the plan's period is over (the day after its end)."""
        return (today or clock.today()) > self.end

    def default_year(self, today=None):
        """The plan year shown when none is chosen (the overview's, a measure's health): this
        year while the plan runs, its last once it has ended, its first before it starts."""
        year = (today or clock.today()).year
        return min(max(year, self.start.year), self.end.year)

    @property
    def period_label(self):
        """ "2015", or "2018–2020" for a plan over several years."""
        first, last = self.start.year, self.end.year
        return str(first) if first == last else f"{first}–{last}"

    @property
    def years(self):
        """The reporting periods of the plan: every calendar year it covers."""
        return list(range(self.start.year, self.end.year + 1))


class PlanActor(models.Model):
    """An actor other than the directorates that a plan names, in the order it names them."""

    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="declared_actors", verbose_name=_("plan")
    )
    actor = models.ForeignKey(Actor, models.PROTECT, related_name="+", verbose_name=_("actor"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = historical_records()

    class Meta:
        verbose_name = _("actor named by the plan")
        verbose_name_plural = _("actors named by the plan")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "actor"], name="plan_actor_once")]

    def __str__(self):
        return str(self.actor)


class Part(models.Model):
    """A part of a plan ("A. Organisering og struktur", "TILTAK 1: …")."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="parts", verbose_name=_("plan"))
    code = free_text.CharField(
        _("code"),
        max_length=10,
        blank=True,
        help_text=_("As the document numbers or letters it; empty where it does not."),
    )
    title = free_text.CharField(_("title"), max_length=500)
    position = models.PositiveIntegerField(_("position"))

    history = historical_records()

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=~Q(code=""),
                name="part_code_unique_in_plan",
                violation_error_message=_("This plan already has a part with this code."),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}" if self.code else self.title


class MeasureQuerySet(models.QuerySet):
    def involving(self, actor):
        """Measures where `actor` has a responsibility or a milestone of its own.

        Correlated EXISTS: listed in plan order, the measures come from the plan-order index
        and the list stops at its page; PostgreSQL hashes the subqueries when it counts."""
        return self.filter(
            Exists(Responsibility.objects.filter(measure=OuterRef("pk"), actor=actor))
            | Exists(Milestone.objects.filter(measure=OuterRef("pk"), responsible=actor))
        )

    def having(self, occurrences):
        """Measures with at least one occurrence in the Occurrence queryset `occurrences`."""
        return self.filter(Exists(occurrences.filter(milestone__measure=OuterRef("pk"))))

    def with_health(self, year=None, today=None, states=None):
        """Annotate `health` (a `Health` value) and `health_rank` (its place in `Health`,
        worst first, for sorting): the measure's health in `year`, by default its plan's year
        of `today` (`Plan.default_year`). `states`: the occurrence states to judge, by default
        the occurrences as they are; `rapportering.states.occurrence_states(as_of)` for a past
        day. The same rule as `Measure.health_in`."""
        today = today or clock.today()
        if year is None:
            year = Least(
                Greatest(Value(today.year), ExtractYear(OuterRef("plan__start"))),
                ExtractYear(OuterRef("plan__end")),
            )
        states = Occurrence.objects.all() if states is None else states
        health = Coalesce(
            Subquery(
                health_of_groups(
                    states.annotate(effective_due_date=effective_due_date())
                    .filter(milestone__measure=OuterRef("pk"), year=year)
                    .order_by()
                    .values("milestone__measure"),
                    today,
                ).values("health")
            ),
            Value(Health.NOTHING_DUE.value),
        )
        return self.annotate(health=health).annotate(
            health_rank=Case(
                *(When(health=key, then=Value(rank)) for rank, key in enumerate(Health.values)),
                default=Value(len(Health.values)),
            )
        )

    def listed(self):
        """As lists show measures: with their plan, without the long texts. The health and
        counts a list shows are added to its page by `add_health_and_counts`."""
        return self.select_related("plan").defer(*Measure.LONG_TEXTS)

    def with_counts(self, today=None):
        """Annotate `overdue_count` and `deviation_count` (see `occurrence_counts`), for
        filtering and sorting by them."""
        today = today or clock.today()
        return self.annotate(
            **{
                name: Coalesce(
                    Subquery(
                        Occurrence.objects.with_due_date()
                        .filter(milestone__measure=OuterRef("pk"))
                        .order_by()
                        .values("milestone__measure")
                        .annotate(n=count)
                        .values("n")
                    ),
                    0,
                )
                for name, count in occurrence_counts(today).items()
            }
        )


def occurrence_counts(today):
    """What lists count of each measure's occurrences, by the rules of OccurrenceQuerySet."""
    return {
        "overdue_count": Count("pk", filter=overdue_condition(today)),
        "deviation_count": Count("pk", filter=deviation_condition(today)),
    }


class Health(models.TextChoices):
    """A measure's health in a plan year, from its occurrences of that year: the first of
    these that holds, in this order.

    1. *Nothing due*: no occurrence in the year.
    2. *Completed*: every occurrence completed or cancelled (the year's work is closed, even
       if late or cancelled: the deviations stay on the occurrences).
    3. *Deviation*: any occurrence in deviation (`deviation_condition`: overdue, postponed,
       cancelled, moved to a new date, assessed red).
    4. *At risk*: any assessed yellow.
    5. *On track*: any in progress or completed, or assessed green.
    6. *Not started*: otherwise (nothing started, nothing overdue).

    Written twice, as the occurrence rules are, and held equal by a test: in SQL
    (`health_of_groups`, `MeasureQuerySet.with_health`) and in Python (`health_of`, for
    `Measure.health_in` and `add_health_and_counts`). The order of the values is the order of a sort by
    health, worst first.
    """

    DEVIATION = "deviation", _("Deviation")
    AT_RISK = "at_risk", _("At risk")
    NOT_STARTED = "not_started", pgettext_lazy("health", "Not started")
    ON_TRACK = "on_track", _("On track")
    COMPLETED = "completed", pgettext_lazy("health", "Completed")
    NOTHING_DUE = "nothing_due", _("Nothing due")

    @property
    def color(self):
        """The Designsystemet colour of its tag, always shown with its text."""
        return HEALTH_COLORS[self]

    def change_since(self, before):
        """ "better", "worse" or "same" than the `Health` `before`; None where either is
        *Nothing due*, which says nothing of how the work goes."""
        if Health.NOTHING_DUE in (self, before):
            return None
        ranks = list(Health)
        # Worst first: a higher place is better.
        difference = ranks.index(self) - ranks.index(Health(before))
        return "better" if difference > 0 else "worse" if difference < 0 else "same"


HEALTH_COLORS = {
    Health.DEVIATION: "danger",
    Health.AT_RISK: "warning",
    Health.NOT_STARTED: "neutral",
    Health.ON_TRACK: "info",
    Health.COMPLETED: "success",
    Health.NOTHING_DUE: "neutral",
}


def health_of(states, today=None):
    """The `Health` of one measure's occurrence states of a year (the rule of `Health`)."""
    today = today or clock.today()
    states = list(states)
    if not states:
        return Health.NOTHING_DUE
    if not any(state.is_open for state in states):
        return Health.COMPLETED
    if any(state.has_deviation(today) for state in states):
        return Health.DEVIATION
    if any(state.assessment == Occurrence.Assessment.YELLOW for state in states):
        return Health.AT_RISK
    started = (Occurrence.Status.IN_PROGRESS, Occurrence.Status.COMPLETED)
    if any(
        state.status in started or state.assessment == Occurrence.Assessment.GREEN
        for state in states
    ):
        return Health.ON_TRACK
    return Health.NOT_STARTED


def health_of_groups(grouped, today):
    """Annotate `health` on occurrence states grouped by measure (`values(...)`, with
    `effective_due_date`): the rule of `Health` in SQL. A measure without occurrences has no
    group; its health is *Nothing due*."""
    started = Q(status__in=(Occurrence.Status.IN_PROGRESS, Occurrence.Status.COMPLETED)) | Q(
        assessment=Occurrence.Assessment.GREEN
    )
    return grouped.annotate(
        open_count=Count("pk", filter=~Q(status__in=Occurrence.CLOSED_STATUSES)),
        deviation_count=Count("pk", filter=deviation_condition(today)),
        yellow_count=Count("pk", filter=Q(assessment=Occurrence.Assessment.YELLOW)),
        started_count=Count("pk", filter=started),
    ).annotate(
        health=Case(
            When(open_count=0, then=Value(Health.COMPLETED.value)),
            When(deviation_count__gt=0, then=Value(Health.DEVIATION.value)),
            When(yellow_count__gt=0, then=Value(Health.AT_RISK.value)),
            When(started_count__gt=0, then=Value(Health.ON_TRACK.value)),
            default=Value(Health.NOT_STARTED.value),
            output_field=models.CharField(),
        )
    )


def add_health_and_counts(measures, today=None):
    """Set on each of `measures`, a page of them read already with their plans, its `health`
    in its plan's year (`Plan.default_year`) and its `overdue_count` and `deviation_count`
    (as `with_counts` annotates them), by the Python rules, from one query for the page.
    Cheaper than `with_health`'s and `with_counts`' subqueries, which a list needs only to
    filter or sort by."""
    today = today or clock.today()
    years = {measure.pk: measure.plan.default_year(today) for measure in measures}
    of_year = defaultdict(list)
    overdue, deviations = Counter(), Counter()
    for state in (
        Occurrence.objects.filter(milestone__measure__in=measures)
        .annotate(measure_id=F("milestone__measure"))
        .only("year", "status", "assessment", "planned_date", "new_date")
    ):
        overdue[state.measure_id] += state.is_overdue(today)
        deviations[state.measure_id] += state.has_deviation(today)
        if state.year == years[state.measure_id]:
            of_year[state.measure_id].append(state)
    for measure in measures:
        measure.health = health_of(of_year[measure.pk], today)
        measure.overdue_count = overdue[measure.pk]
        measure.deviation_count = deviations[measure.pk]
    return measures


class Measure(models.Model):
    """A measure (tiltak / handlingspunkt), numbered within its plan."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="measures", verbose_name=_("plan"))
    part = models.ForeignKey(Part, models.CASCADE, related_name="measures", verbose_name=_("part"))
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("main measure"),
    )
    number = free_text.CharField(_("number"), max_length=20)
    title = free_text.CharField(_("title"), max_length=500)
    purpose = free_text.LongTextField(_("purpose"), blank=True)
    contributions = free_text.LongTextField(_("contributions of the directorates"), blank=True)
    position = models.PositiveIntegerField(_("position"), help_text=_("Order in the plan."))
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="measures", verbose_name=_("goals")
    )

    history = historical_records(m2m_fields=[goals])
    objects = MeasureQuerySet.as_manager()

    # Searched, not shown in lists: a list leaves them out (`listed`), and its rows sort in
    # half the time.
    LONG_TEXTS = ("purpose", "contributions")

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "position"]
        indexes = [models.Index(fields=["plan", "position"], name="measure_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="measure_number_unique_in_plan",
                violation_error_message=_("This plan already has a measure with this number."),
            )
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("tiltak:measure-detail", args=[self.pk])

    def health_in(self, year=None, today=None):
        """The `Health` in `year` (by default `Plan.default_year`) of the occurrences as they
        are, read through `milestones__occurrences` (prefetched on the measure page). The same
        rule as `MeasureQuerySet.with_health`."""
        today = today or clock.today()
        year = year or self.plan.default_year(today)
        return health_of(
            (
                occurrence
                for milestone in self.milestones.all()
                for occurrence in milestone.occurrences.all()
                if occurrence.year == year
            ),
            today,
        )

    @property
    def health_year(self):
        return self.plan.default_year()

    @cached_property
    def current_health(self):
        """The health shown on the measure's page: this plan year's, as of today."""
        return self.health_in()

    def clean(self):
        if self.part_id and self.plan_id and self.part.plan_id != self.plan_id:
            raise ValidationError({"part": _("The part must belong to the measure's plan.")})
        if self.parent_id and self.parent.plan_id != self.plan_id:
            raise ValidationError({"parent": _("A sub-measure must be in the same plan.")})


class Responsibility(models.Model):
    """An actor's role in a measure."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Leads")
        COORDINATOR = "coordinator", _("Coordinates")
        CONTRIBUTOR = "contributor", _("Contributes")

    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="responsibilities", verbose_name=_("measure")
    )
    actor = models.ForeignKey(
        Actor,
        models.PROTECT,
        related_name="responsibilities",
        verbose_name=_("actor"),
        db_index=False,  # "responsibility_by_actor" leads with it
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = historical_records()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["measure", "position"]
        # "Which measures does this actor take part in" is read from the index alone.
        indexes = [models.Index(fields=["actor", "measure"], name="responsibility_by_actor")]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "actor"],
                name="responsibility_actor_once_per_measure",
                violation_error_message=_("This actor already has a role in this measure."),
            )
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"


class HealthRecord(models.Model):
    """A measure's health in a plan year as it stood on an occasion (a finalised yearly
    report), so that its pages can say whether it has got better or worse since."""

    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="health_records", verbose_name=_("measure")
    )
    year = models.PositiveIntegerField(_("year"))
    health = models.CharField(_("health"), max_length=20, choices=Health.choices)
    occasion = models.CharField(_("occasion"), max_length=200)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("recorded health")
        verbose_name_plural = _("recorded health")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["measure", "-recorded_at"], name="health_record_latest")]

    def __str__(self):
        return f"{self.measure}: {self.get_health_display()} ({self.occasion})"


def add_health_changes(measures):
    """Set `health_change` on each of `measures` (each with `health`): the latest
    `HealthRecord` of the measure (`.record`) and the change since (`.direction`, see
    `Health.change_since`), or None without a record; one query for them all."""
    latest = {}
    for record in HealthRecord.objects.filter(measure__in=measures):
        latest.setdefault(record.measure_id, record)
    for measure in measures:
        record = latest.get(measure.pk)
        measure.health_change = (
            HealthChange(record, Health(measure.health).change_since(record.health))
            if record
            else None
        )
    return measures


@dataclass
class HealthChange:
    record: HealthRecord
    direction: str | None  # "better", "worse", "same", or None where not comparable


class Milestone(models.Model):
    """A milestone (milepæl): its text, when it is due as the plan words it, and who owns it.

    `due_text` is the document's own wording; the occurrences hold its interpretation
    (one per date it falls due, or one per plan year when it is continuous).
    """

    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="milestones", verbose_name=_("measure")
    )
    text = free_text.ShortTextField(_("text"))
    due_text = free_text.CharField(_("due (as written)"), max_length=500)
    due_note = free_text.ShortTextField(
        _("note on the due date"),
        blank=True,
        help_text=_("How an ambiguous due text has been interpreted, and why."),
    )
    responsible = models.ForeignKey(
        Actor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = historical_records()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["measure", "position"]

    def __str__(self):
        return self.text


# "Due soon" on every page: within this many days from today.
DUE_SOON_DAYS = 90


def effective_due_date():
    """The new date if one is set, else the date first planned, in the database."""
    return Coalesce("new_date", "planned_date")


def overdue_condition(today):
    """Open and past its due date. Needs the `effective_due_date` of `with_due_date()`."""
    return ~Q(status__in=Occurrence.CLOSED_STATUSES) & Q(effective_due_date__lt=today)


def deviation_condition(today):
    """Postponed, cancelled, moved to a new date, assessed red, or overdue (needs
    `with_due_date()`). The same rule as `Occurrence.has_deviation`."""
    rescheduled = Q(new_date__isnull=False) & (
        Q(planned_date__isnull=True)
        | Q(new_date__lt=F("planned_date"))
        | Q(new_date__gt=F("planned_date"))
    )
    return (
        Q(status__in=Occurrence.DEVIATION_STATUSES)
        | Q(assessment=Occurrence.Assessment.RED)
        | rescheduled
        | overdue_condition(today)
    )


def incomplete_deviation_condition():
    """A deviation the yearly report cannot explain yet: it lacks a cause, a consequence or a
    corrective action, or, while the milestone is still open, a new date. The same rule as
    `Occurrence.unexplained`."""
    return (
        Q(deviation_cause="")
        | Q(deviation_consequence="")
        | Q(corrective_action="")
        | (Q(new_date__isnull=True) & ~Q(status__in=Occurrence.CLOSED_STATUSES))
    )


def due_within_condition(today, days=DUE_SOON_DAYS):
    """Open, and falls due from `today` and the next `days` days (needs `with_due_date()`)."""
    return (
        ~Q(status__in=Occurrence.CLOSED_STATUSES)
        & Q(effective_due_date__gte=today)
        & Q(effective_due_date__lte=today + timedelta(days=days))
    )


def concerning_condition(actor):
    """Of a measure where `actor` has a responsibility, or assigned to it: the occurrences
    that concern `actor`, now (`Occurrence.objects.concerning`) and in the past (history rows).
    A correlated EXISTS: each row's measure looked up after the cheaper conditions, which on
    both databases beats hashing the actor's measures once, for a page's rows and for counting
    the work of active plans alike (measured with `make bench`)."""
    responsible = Exists(
        Responsibility.objects.filter(measure=OuterRef("milestone__measure"), actor=actor)
    )
    return responsible | Q(milestone__responsible=actor)


def marked(condition):
    """True for the rows that meet `condition`, as a value read with each row."""
    return Case(When(condition, then=True), default=False)


def not_assessed_condition(year):
    """Continuous, of `year`, and not assessed by anyone yet."""
    return Q(planned_date__isnull=True, year=year, assessment="")


class OccurrenceQuerySet(models.QuerySet):
    """The rules for overdue and deviation, once, for every page, report and export."""

    def with_due_date(self):
        """Annotate `effective_due_date`: the new date if one is set, else the date first planned.

        The same rule as `Occurrence.due_date`, in the database.
        """
        return self.annotate(effective_due_date=effective_due_date())

    def open(self):
        return self.exclude(status__in=Occurrence.CLOSED_STATUSES)

    def overdue(self, today=None):
        return self.with_due_date().filter(overdue_condition(today or clock.today()))

    def with_deviation(self, today=None):
        return self.with_due_date().filter(deviation_condition(today or clock.today()))

    def due_within(self, days=DUE_SOON_DAYS, today=None):
        return self.with_due_date().filter(due_within_condition(today or clock.today(), days))

    def concerning(self, actor):
        """Occurrences of measures where `actor` has a responsibility, or assigned to it."""
        return self.filter(concerning_condition(actor))

    def in_role(self, actor, role):
        """Occurrences of measures where `actor` has a responsibility in the `role` given."""
        return self.filter(
            Exists(
                Responsibility.objects.filter(
                    measure=OuterRef("milestone__measure"), actor=actor, role=role
                )
            )
        )

    def of_active_plans(self):
        """Those of active plans: what work lists, reminders and calendar feeds follow."""
        return self.filter(milestone__measure__plan__state=Plan.State.ACTIVE)


class OccurrenceState(models.Model):
    """What can be said of an occurrence from its own fields. Occurrence and its history
    share it, so a past state answers the same questions as the present one."""

    class Meta:
        abstract = True

    @property
    def when(self):
        """The planned date as ISO text, or the year of a continuous occurrence."""
        return self.planned_date.isoformat() if self.planned_date else str(self.year)

    @property
    def due_date(self):
        return self.new_date or self.planned_date

    # How the due date is written, in pages, tables, the report and reminders alike.
    planned_label = property(formatting.planned_label)
    due_label = property(formatting.due_label)

    @property
    def is_continuous(self):
        return self.planned_date is None

    @property
    def is_open(self):
        return self.status not in Occurrence.CLOSED_STATUSES

    def is_overdue(self, today=None):
        today = today or clock.today()
        return self.is_open and self.due_date is not None and self.due_date < today

    @property
    def is_rescheduled(self):
        return self.new_date is not None and self.new_date != self.planned_date

    @property
    def status_color(self):
        """The Designsystemet colour of its status tag (`state_tags.occurrence_state`,
        the same on every page; an overdue one is shown as *Overdue since …* in *danger*,
        distinct from postponed in *warning* and from an assessed red)."""
        return STATUS_COLORS[self.status]

    def has_deviation(self, today=None):
        """The same rule as OccurrenceQuerySet.with_deviation."""
        return (
            self.status in Occurrence.DEVIATION_STATUSES
            or self.assessment == Occurrence.Assessment.RED
            or self.is_rescheduled
            or self.is_overdue(today)
        )

    # What the yearly report must say of each deviation it shows; a new date while open.
    EXPLANATION_FIELDS = ("deviation_cause", "deviation_consequence", "corrective_action")

    def unexplained(self):
        """The fields the yearly report still lacks to explain this occurrence as a
        deviation (empty when it can): the same rule as `incomplete_deviation_condition`."""
        lacking = [name for name in self.EXPLANATION_FIELDS if not getattr(self, name).strip()]
        if self.is_open and self.new_date is None:
            lacking.append("new_date")
        return lacking

    @property
    def overdue_since(self):
        """How every page, tag and reason says it: "Overdue since 30.06.2018"."""
        return _("Overdue since %(since)s") % {"since": formatting.short_date(self.due_date)}

    def deviation_reasons(self, today=None):
        """Why `has_deviation` holds, in words ("Overdue since 30.06.2018", "Postponed",
        "Assessed red"); empty when it does not."""
        reasons = []
        if self.is_overdue(today):
            reasons.append(self.overdue_since)
        if self.status in Occurrence.DEVIATION_STATUSES:
            reasons.append(str(self.get_status_display()))
        if self.is_rescheduled:
            new = formatting.short_date(self.new_date)
            reasons.append(_("Moved to %(new)s") % {"new": new})
        if self.assessment == Occurrence.Assessment.RED:
            reasons.append(str(_("Assessed red")))
        return reasons


class FinalStatus(models.TextChoices):
    """How an open occurrence ends when its plan is closed (`tiltak.services.plan_close`)."""

    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    CARRIED_OVER = "carried_over", _("Carried over to another plan")


STATUS_COLORS = {
    "not_started": "neutral",
    "in_progress": "info",
    "completed": "success",
    "postponed": "warning",
    "cancelled": "neutral",
}


class Occurrence(OccurrenceState):
    """One time a milestone falls due, with its current status.

    Every earlier status is in `history`. `planned_date` is the date first planned and
    is never moved; a slip is recorded in `new_date`, so both can be shown. A continuous
    milestone has one occurrence per plan year with no planned date.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class Assessment(models.TextChoices):
        GREEN = "green", _("Green: on track")
        YELLOW = "yellow", _("Yellow: at risk")
        RED = "red", _("Red: deviation")

    CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED)
    DEVIATION_STATUSES = (Status.POSTPONED, Status.CANCELLED)
    # What a status update sets; the rest of an occurrence comes from its plan.
    STATUS_FIELDS = (
        "status",
        "assessment",
        "comment",
        "deviation_cause",
        "deviation_consequence",
        "corrective_action",
        "new_date",
        "needs_ministry_decision",
    )

    milestone = models.ForeignKey(
        Milestone, models.CASCADE, related_name="occurrences", verbose_name=_("milestone")
    )
    year = models.PositiveSmallIntegerField(_("reporting year"))
    planned_date = models.DateField(_("date first planned"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    assessment = models.CharField(
        _("assessment"), max_length=10, choices=Assessment.choices, blank=True
    )
    comment = free_text.ShortTextField(_("comment"), blank=True)
    deviation_cause = free_text.ShortTextField(_("cause of the deviation"), blank=True)
    deviation_consequence = free_text.ShortTextField(
        _("consequence for goal achievement"), blank=True
    )
    corrective_action = free_text.ShortTextField(_("corrective action"), blank=True)
    new_date = models.DateField(_("new date"), null=True, blank=True)
    needs_ministry_decision = models.BooleanField(_("the ministries must decide"), default=False)
    version = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("Counts status updates; guards against lost updates.")
    )
    updated_by = models.ForeignKey(
        "tiltak.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)
    carried_over_to = models.ForeignKey(
        Plan,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over_occurrences",
        verbose_name=_("carried over to"),
        help_text=_("The plan that took it over when its own plan was closed."),
    )

    history = historical_records(bases=[OccurrenceState])
    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone occurrence")
        verbose_name_plural = _("milestone occurrences")
        ordering = ["milestone", "year", "planned_date"]
        indexes = [
            # For "due within 90 days", and for lists in due-date order to stop at their page.
            models.Index(effective_due_date(), "id", name="occurrence_due_date"),
            # The work lists read the open occurrences (not completed or cancelled) and the
            # continuous ones of a year: a small part of the table once plans are closed.
            models.Index(
                fields=["milestone"],
                condition=~Q(status__in=["completed", "cancelled"]),
                name="occurrence_open",
            ),
            models.Index(
                fields=["year"],
                condition=Q(planned_date__isnull=True),
                name="occurrence_continuous",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "planned_date"], name="occurrence_date_unique"
            ),
            models.UniqueConstraint(
                fields=["milestone", "year"],
                condition=Q(planned_date__isnull=True),
                name="continuous_occurrence_once_a_year",
            ),
        ]

    def __str__(self):
        return f"{self.milestone} ({self.when})"

    @property
    def is_reported(self):
        """Whether anyone has reported on this occurrence (an import must not drop it)."""
        return self.updated_at is not None

    @property
    def has_no_status(self):
        """Not started, as planned, and nobody has reported on it: what the yearly report
        cannot show as a status."""
        return self.status == self.Status.NOT_STARTED and not self.is_reported

    def save_as_reported(self, user, at=None):
        """Save a status update by `user`: one version on (the lost-update guard compares
        it), with who and when."""
        self.version += 1
        self.updated_by = user
        self.updated_at = at or timezone.now()
        self.save()

    def deviation_errors(self):
        """{field: error} for what an occurrence in deviation lacks: its cause, consequence
        and corrective action, and a new date unless it is cancelled."""
        return {
            name: ValidationError(
                _("Required when the milestone has a deviation."), code="deviation"
            )
            for name in self.deviation_required_fields()
            if not str(getattr(self, name) or "").strip()
        }

    def deviation_required_fields(self):
        """The fields an occurrence in deviation must have: its cause, consequence and
        corrective action, and a new date unless it is cancelled; none without a deviation."""
        if not self.has_deviation():
            return []
        required = ["deviation_cause", "deviation_consequence", "corrective_action"]
        if self.status != self.Status.CANCELLED:
            required.append("new_date")
        return required

    def clean_fields(self, exclude=None):
        """Each field's own checks, and the deviation rule whenever the status is validated:
        a status update (the status form, `occurrence_update_status`) cannot leave an
        incomplete deviation. Where the status is not validated, an occurrence that fell into
        deviation unreported (an overdue milestone nobody reported on) still saves: the admin
        shows the status read-only (so excludes it), and imports create occurrences without
        `full_clean`. The rule is a condition on which fields are required, so it is checked
        with the fields, where Django says which are excluded (`clean()` is not told)."""
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "status" not in exclude:
            for name, error in self.deviation_errors().items():
                if name not in exclude and name not in errors:
                    errors[name] = [error]
        if errors:
            raise ValidationError(errors)
