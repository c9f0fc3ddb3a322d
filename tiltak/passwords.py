"""Password rules beyond Django's own."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, telling its refusal in bokmål: Django 5.2 reworded the
    message and its bokmål catalogue has not caught up, so it came in English. This is the
    earlier wording, translated in our catalogue."""

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
