"""Who may see and change what. Every rule is here; views, templates and tests ask it.

| action                                   | anonymous | reader | directorate user | coordinator | admin |
|------------------------------------------|-----------|--------|------------------|-------------|-------|
| read plans, measures, status, history    | sign in   | yes    | yes              | yes         | yes   |
| update status of a milestone occurrence  | sign in   | no     | own directorate* | yes         | yes   |
| create, edit and delete plans and parts  | sign in   | no     | no               | yes         | yes   |
| the Django admin                         | sign in   | no     | no               | no          | yes   |

* occurrences of milestones of measures where the directorate has a responsibility, and of
  milestones assigned to the directorate.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from tiltak.roles import Role

EDITORS = (Role.COORDINATOR, Role.ADMIN)


def can_edit_plans(user):
    return user.is_authenticated and user.role in EDITORS


def status_scope(user):
    """A filter on Occurrence for the occurrences `user` may update, or None for none."""
    if not user.is_authenticated:
        return None
    if user.role in EDITORS:
        return Q()
    if user.role == Role.DIRECTORATE and user.directorate_id:
        return Q(milestone__measure__responsibilities__actor=user.directorate_id) | Q(
            milestone__responsible=user.directorate_id
        )
    return None


def can_update_status(user, occurrence):
    scope = status_scope(user)
    if scope is None:
        return False
    return type(occurrence).objects.filter(scope, pk=occurrence.pk).exists()


def require(allowed):
    """Answer 403 unless `allowed`."""
    if not allowed:
        raise PermissionDenied
