from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class FastSelect(forms.Select):
    """A Select whose options are written in Python, straight from its choices. Django builds
    a dictionary per option and renders each through a template of its own, which for the
    hundreds of plans of a large installation costs more than the rest of the page; the HTML
    is the same. Flat choices only (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, " selected" if str(option_value) in selected else "", label)
                for option_value, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


def use_fast_selects(fields):
    """Give every plain Select among the form `fields` a FastSelect with its attributes."""
    for field in fields.values():
        if type(field.widget) is forms.Select:
            field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
