from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

OPTION = '<option value="{}">{}</option>'
SELECTED_OPTION = '<option value="{}" selected>{}</option>'


class FastSelect(forms.Select):
    """A Select whose options are written in Python. Django renders every option through a
    template of its own, which for the hundreds of plans and parts of a large installation
    costs more than the rest of the page; the HTML is the same."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            "{}",
            (
                (
                    format_html(
                        SELECTED_OPTION if option["selected"] else OPTION,
                        option["value"],
                        option["label"],
                    ),
                )
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), options
        )


def use_fast_selects(fields):
    """Give every plain Select among the form `fields` a FastSelect with its attributes."""
    for field in fields.values():
        if type(field.widget) is forms.Select:
            field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
