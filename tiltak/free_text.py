"""Free text, as users, plan files and the admin give it: cleaned of control characters and
held to a length limit, in one place for every model, form and file.

Control characters other than tab and line feed cannot be typed, are invisible, and break the
XML inside Word and Excel files; they arrive pasted from Word (its line break within a
paragraph is a vertical tab, its page break a form feed). Refusing them would ask users to
remove what they cannot see, so they are cleaned instead: a browser's CRLF, a lone CR, a
vertical tab and a form feed become a line feed, and the others are removed.
"""

import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.functional import cached_property, lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext

# A page of the report holds about 3,000 characters. The report's own texts (the summary,
# the challenges) and a measure's purpose may fill about three pages; each of the three parts
# of a directorate's contribution half a page; the short texts (a milestone, its comment, a
# deviation's cause, consequence and corrective action), which the report shows in table
# cells, a short paragraph of about 80 words. Text in table cells is what makes the PDF slow
# to lay out; with these limits the largest report still finalises well within a request
# (README, "Scale, speed and robustness").
LONG_TEXT = 10_000
MEDIUM_TEXT = 1_500
SHORT_TEXT = 500

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c]")
# C0 and C1 controls but tab and line feed, DEL, and what XML 1.0 forbids besides.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text):
    """`text` with line breaks as line feeds and no other control characters."""
    return _FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", text))


def _limit_hint(max_length):
    return gettext("At most %(count)s characters.") % {
        "count": number_format(max_length, force_grouping=True)
    }


limit_hint = lazy(_limit_hint, str)


class TextFormField(forms.CharField):
    """A text input cleaned by `clean_text` before its length is checked (so a browser's
    CRLF counts as the one character its `maxlength` counted), with its limit in the help
    text (which the input is described by)."""

    def __init__(self, *, max_length, help_text="", **kwargs):
        hint = limit_hint(max_length)
        help_text = format_lazy("{} {}", help_text, hint) if help_text else hint
        super().__init__(max_length=max_length, help_text=help_text, **kwargs)

    def to_python(self, value):
        return super().to_python(clean_text(value) if isinstance(value, str) else value)


class _CleanText:
    """What the model fields share: text is cleaned on its way to the database, by any path
    (forms, the admin, imports, services), and forms get a `TextFormField`."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return clean_text(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": TextFormField, **kwargs})


class CharField(_CleanText, models.CharField):
    """A line of free text, such as a title (not a code or a choice)."""

    def deconstruct(self):
        """Migrations see Django's own field: the cleaning does not touch the schema."""
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class _LimitedTextField(_CleanText, models.TextField):
    """Free text of at most `limit` characters. Django's TextField enforces a max_length only
    in forms; this one in full_clean too. The database holds any length, so migrations see
    Django's own TextField: a recorded limit would make SQLite rebuild the tables (and drop
    the triggers that keep finalised reports unchanged) for no change in the schema."""

    limit = None

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = self.limit
        super().__init__(*args, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length)]

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, "django.db.models.TextField", args, kwargs


class LongTextField(_LimitedTextField):
    limit = LONG_TEXT


class MediumTextField(_LimitedTextField):
    limit = MEDIUM_TEXT


class ShortTextField(_LimitedTextField):
    limit = SHORT_TEXT
