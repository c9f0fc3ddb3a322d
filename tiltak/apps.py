from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TiltakConfig(AppConfig):
    name = "tiltak"
    verbose_name = _("Action plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_load_reference_data, sender=self)
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from bolig import audit
        from tiltak.session_time import signed_in

        user_logged_in.connect(signed_in, dispatch_uid="tiltak.session_time.signed_in")
        user_logged_in.connect(audit.signed_in, dispatch_uid="bolig.audit.signed_in")
        user_login_failed.connect(audit.sign_in_failed, dispatch_uid="bolig.audit.sign_in_failed")
        user_locked_out.connect(audit.locked_out, dispatch_uid="bolig.audit.locked_out")


def _load_reference_data(**kwargs):
    from tiltak.reference import ensure_reference_data

    ensure_reference_data()
