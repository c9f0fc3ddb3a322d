from django.conf import settings

from tiltak.permissions import can_edit_plans, can_manage_users


def demo(request):
    """The demonstration's date, for the banner every page shows while it is set."""
    return {"demo_today": settings.DEMO_TODAY}


def permissions(request):
    """What the signed-in user may do, for the templates to show or hide links."""
    return {
        "can_edit_plans": can_edit_plans(request.user),
        "can_manage_users": can_manage_users(request.user),
    }
