from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A Select whose options are written in Python, straight from its choices. Django builds
    a dictionary per option and renders each through a template of its own, which for the
    hundreds of plans of a large installation costs more than the rest of the page; the HTML
    is the same. Flat choices only (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{escaped(option_value)}"'
            f"{' selected' if str(option_value) in selected else ''}>{escaped(label)}</option>"
            for option_value, label in self.choices
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # nosec B308 B703: every value and label in it is escaped
        )


def escaped(value):
    """As Django's conditional_escape, without its checks for lazy text on every call: the
    options of a select are many."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


def use_fast_selects(fields):
    """Give every plain Select among the form `fields` a FastSelect with its attributes."""
    for field in fields.values():
        if type(field.widget) is forms.Select:
            field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
