"""Who may see and change what. Every rule is here; views, templates and tests ask it.

| action                                   | anonymous | reader | directorate user | coordinator | admin |
|------------------------------------------|-----------|--------|------------------|-------------|-------|
| read plans, measures, status, history    | sign in   | yes    | yes              | yes         | yes   |
| update status of a milestone occurrence  | sign in   | no     | own directorate* | yes         | yes   |
| create, edit and delete plans and parts  | sign in   | no     | no               | yes         | yes   |
| close a plan after its period            | sign in   | no     | no               | yes         | yes   |
| read finalised yearly reports            | sign in   | yes    | yes              | yes         | yes   |
| read report drafts and contributions     | sign in   | no     | yes              | yes         | yes   |
| write a contribution to the report       | sign in   | no     | own directorate  | yes         | yes   |
| open, compile, finalise, correct, export | sign in   | no     | no               | yes         | yes   |
| return a delivered contribution          | sign in   | no     | no               | yes         | yes   |
| the Django admin                         | sign in   | no     | no               | no          | yes   |
| manage users, their roles, deactivation  | sign in   | no     | no               | no          | yes   |
| directorates' organisation numbers (SSO) | sign in   | no     | no               | no          | yes   |
| reset a user's two-factor methods        | sign in   | no     | no               | no          | yes   |
| one's own two-factor methods (local)     | sign in   | yes    | yes              | yes         | yes   |
| follow a directorate in a calendar feed  | sign in   | any    | own directorate  | any         | any   |
| see and extend one's own session's time  | sign in   | yes    | yes              | yes         | yes   |

* occurrences of milestones of measures where the directorate has a responsibility, and of
  milestones assigned to the directorate (`Occurrence.objects.concerning`); `updatable`
  answers it for every page, and a picture as of a past day is read-only. A closed plan is
  read-only for everyone: no status update, no editing (`refuse_if_closed`).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tiltak.roles import Role

EDITORS = (Role.COORDINATOR, Role.ADMIN)


def can_edit_plans(user):
    return user.is_authenticated and user.role in EDITORS


def can_close_plans(user):
    """Close a plan whose period has ended (`tiltak.services.plan_close_refusal` says when)."""
    return user.is_authenticated and user.role in EDITORS


def can_manage_users(user):
    """List, create and change users, their roles and directorates, and deactivate them; set
    the directorates' organisation numbers, which place users signing in through Ansattporten."""
    return user.is_authenticated and user.role == Role.ADMIN


def can_reset_mfa(user):
    """Remove every two-factor method of a user (identity.mfa.services.user_mfa_reset)."""
    return can_manage_users(user)


def can_compile_reports(user):
    """Open report rounds, compile, finalise and correct the report, and download its files;
    return a directorate's delivered contribution to it for more work."""
    return user.is_authenticated and user.role in EDITORS


def can_view_drafts(user):
    """See a report before it is finalised, and the contributions to it."""
    return user.is_authenticated and (user.role in EDITORS or user.role == Role.DIRECTORATE)


def can_contribute(user, directorate):
    """Write the contribution of `directorate`: its own users, and the coordinators."""
    if not user.is_authenticated:
        return False
    if user.role in EDITORS:
        return True
    return user.role == Role.DIRECTORATE and user.directorate_id == directorate.pk


def updatable(user, occurrences, *, as_of=None):
    """The occurrences of the Occurrence queryset `occurrences` that `user` may update status
    on, as a queryset: every one for coordinators and admins, those concerning its own
    directorate for a directorate user (`Occurrence.objects.concerning`), none for anyone
    else. A picture of a past day (`as_of`) is for reading: status is updated on today's;
    a closed plan is read-only.

    The one answer for every page that offers the status form; the policy wraps the
    queryset (as NetBox's `RestrictedQuerySet.restrict`), so the domain knows nothing of it."""
    from tiltak.models import Plan

    if as_of is not None or not user.is_authenticated:
        return occurrences.none()
    occurrences = occurrences.exclude(milestone__measure__plan__state=Plan.State.CLOSED)
    if user.role in EDITORS:
        return occurrences
    if user.role == Role.DIRECTORATE and user.directorate_id:
        return occurrences.concerning(user.directorate_id)
    return occurrences.none()


def updatable_in_work_of(user, directorate, rows):
    """The keys of `rows`, occurrences of a directorate's work lists (of active plans, each
    concerning `directorate`), that `user` may update: `updatable`'s answer, given whole
    without a query where its rule gives it (coordinators and admins, and a user of
    `directorate` itself, who may update every occurrence concerning it)."""
    keys = {occurrence.pk for occurrence in rows}
    if not user.is_authenticated:
        return set()
    if user.role in EDITORS or (
        user.role == Role.DIRECTORATE and user.directorate_id == directorate.pk
    ):
        return keys
    from tiltak.models import Occurrence

    return set(updatable(user, Occurrence.objects.filter(pk__in=keys)).values_list("pk", flat=True))


def refuse_if_closed(plan):
    """Answer 403, saying why, when `plan` is closed: it is read-only."""
    if plan.is_closed:
        raise PermissionDenied(closed_message(plan))


def closed_message(plan):
    return _("The plan “%(plan)s” is closed and can no longer be changed.") % {"plan": plan}


def missing_shown(user, taking_part):
    """Whose part of a round's missing list `user` sees: (the coordinator's part too?, the
    directorates). Coordinators and admins see all of it and send the reminders; a directorate
    user sees its own directorate's part, if it takes part; readers see none."""
    if can_compile_reports(user):
        return True, list(taking_part)
    if user.is_authenticated and user.role == Role.DIRECTORATE and user.directorate in taking_part:
        return False, [user.directorate]
    return False, []


def contributions_shown(user, taking_part, chosen=None):
    """Whose contributions `user` sees on a round's contributions page, and the directorates
    it may choose among there: (directorate or None, choices). Coordinators and admins choose
    among the directorates `taking_part` (the one whose short name is `chosen`, else the
    first); a directorate user sees its own and chooses none."""
    if can_compile_reports(user):
        directorate = next((d for d in taking_part if d.short_name == chosen), None)
        return directorate or next(iter(taking_part), None), taking_part
    return user.directorate, []


def home_of(user):
    """Which home page `user` opens on: "directorate" (a directorate user with a directorate:
    its work), "coordination" (coordinators and admins: rounds, deviations, overdue, changes)
    or "reading" (readers, and anyone else: the reports and the plans' health)."""
    if user.role == Role.DIRECTORATE and user.directorate_id:
        return "directorate"
    if user.role in EDITORS:
        return "coordination"
    return "reading"


def _feeds_of(user):
    """Which directorates `user` may follow in a calendar feed: "own" (a directorate user),
    "any" (coordinators, readers, admins) or None (inactive, or no role)."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role == Role.DIRECTORATE:
        return "own"
    return "any" if user.role in (*EDITORS, Role.READER) else None


def followable_directorates(user):
    """The directorates whose milestones `user` may follow in a calendar feed."""
    from tiltak.models import Actor

    directorates = Actor.objects.directorates()
    scope = _feeds_of(user)
    if scope == "own":
        return directorates.filter(pk=user.directorate_id)
    return directorates if scope == "any" else directorates.none()


def can_read_feed(feed):
    """Whether the calendar feed `feed` still answers: its owner may, now, follow its
    directorate, and still has the role the feed was made under (a directorate user who
    becomes a reader loses it). No query beyond the owner's role, for a feed read with its
    user."""
    owner = feed.user
    if owner.role != feed.role:
        return False
    scope = _feeds_of(owner)
    return scope == "any" or (scope == "own" and owner.directorate_id == feed.directorate_id)


def require(allowed):
    """Answer 403 unless `allowed`."""
    if not allowed:
        raise PermissionDenied
