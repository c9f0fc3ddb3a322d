"""The accessibility statement's facts, versioned with the application: when it was made and
last reviewed, and every WCAG 2.1 success criterion the service does not meet yet, with what
is done about it and when. The statement page (`tiltak.views.accessibility_statement`) shows
them in the structure of Digdir's statements (uustatus); the README says how it is checked."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

MADE = date(2026, 11, 30)
REVIEWED = date(2026, 11, 30)

# The supervisory authority (Tilsynet for universell utforming av ikt).
SUPERVISOR_URL = "https://www.uutilsynet.no/"


@dataclass(frozen=True)
class NotMet:
    """A success criterion not met: where, why, what is done about it and by when."""

    criterion: str
    name: str
    where: str
    problem: str
    remedy: str
    by: str


NOT_MET = [
    NotMet(
        "4.1.2",
        _("Name, role, value"),
        _("The technical administration (the Django admin, used by system administrators only)"),
        _(
            "Some controls of the Django admin have no accessible name: the autocomplete "
            "dropdowns, the date and time shortcuts and the filter boxes of the two-pane "
            "selectors."
        ),
        _(
            "Users, roles and plans are managed in the application's own pages, which meet the "
            "requirements; the technical administration is for operation and troubleshooting."
        ),
        _("Assessed again at each upgrade of Django."),
    ),
]
