"""The tags that show a state the same way on every page: an occurrence's status (or
*Overdue since …*), its assessment, and a measure's health. Written in Python rather than as
included templates, since the lists draw one or two on every row."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiltak.models import Health, Occurrence

register = template.Library()

ASSESSMENT_COLORS = {
    Occurrence.Assessment.GREEN: "success",
    Occurrence.Assessment.YELLOW: "warning",
    Occurrence.Assessment.RED: "danger",
}


def _tag(color, text, css_class=""):
    return format_html(
        '<span class="ds-tag{}" data-color="{}" data-size="sm">{}</span>', css_class, color, text
    )


@register.simple_tag
def occurrence_state(occurrence, today=None):
    """Its status in the colour of `Occurrence.status_color`; an overdue one (on `today`, by
    default today) as *Overdue since <date>* in danger, distinct from postponed and from an
    assessed red."""
    if occurrence.is_overdue(today):
        return _tag("danger", occurrence.overdue_since, " occurrence-state")
    return _tag(occurrence.status_color, occurrence.get_status_display(), " occurrence-state")


@register.simple_tag
def assessment_tag(occurrence):
    """Its assessment as a coloured tag with text, or *Not assessed*."""
    if not occurrence.assessment:
        return format_html('<span class="muted">{}</span>', _("Not assessed"))
    return _tag(ASSESSMENT_COLORS[occurrence.assessment], occurrence.get_assessment_display())


@register.simple_tag
def health_tag(health):
    """A `Health` (or its stored value, as `with_health` annotates it) as a tag."""
    health = Health(health)
    return _tag(health.color, health.label, " health-tag")


@register.simple_tag
def health_count_tag(health, count):
    """How many measures have the `Health` `health`, as a tag: "3 avvik"."""
    return _tag(health.color, f"{count} {str(health.label).lower()}", " health-tag")


CHANGE_TEXTS = {
    "better": ("↗", gettext_lazy("better than in %(occasion)s (%(health)s)")),
    "worse": ("↘", gettext_lazy("worse than in %(occasion)s (%(health)s)")),
    "same": ("→", gettext_lazy("the same as in %(occasion)s")),
    None: ("", gettext_lazy("in %(occasion)s: %(health)s")),
}


@register.simple_tag
def health_change(change):
    """The change of a measure's health since its latest `HealthRecord` (a `HealthChange`),
    in words with an arrow beside them; nothing without a record."""
    if change is None:
        return ""
    arrow, text = CHANGE_TEXTS[change.direction]
    words = text % {
        "occasion": change.record.occasion,
        "health": str(change.record.get_health_display()).lower(),
    }
    return format_html(
        '<span class="health-change" data-direction="{}"><span aria-hidden="true">{}</span> {}</span>',
        change.direction or "",
        arrow,
        words,
    )
