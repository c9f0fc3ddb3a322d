"""Fill a page's form in again with what was sent, on the server, so it works without
JavaScript and for every form without its view knowing (tiltak/session_time.py uses it).

The page is rendered as usual, then the start tags of the fields of the forms posting to the
kept form's address are rewritten in place: a text field's value, a text area's text, the chosen
options and the ticked boxes. The rest of the page is left byte for byte as it was. Password and
file fields are never filled; a field the kept form lacks keeps what the page gave it, except a
check box, which a browser leaves out when it is not ticked.
"""

from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

NOT_FILLED = {"password", "file", "submit", "button", "image", "reset"}


def _start_tag(tag, attrs):
    parts = [tag]
    for name, value in attrs:
        parts.append(name if value is None else f'{name}="{escape(value)}"')
    return "<" + " ".join(parts) + ">"


def _set(attrs, name, value):
    """`attrs` with the attribute `name` set to `value` (None: present without a value), or
    without it when `value` is False."""
    attrs = [(key, old) for key, old in attrs if key != name]
    return attrs if value is False else [*attrs, (name, value)]


class _Refiller(HTMLParser):
    def __init__(self, text, page, action, data):
        super().__init__(convert_charrefs=True)
        self.page, self.action, self.data = page, action, data
        self.lines = [0]
        for line in text.split("\n"):  # as HTMLParser counts lines
            self.lines.append(self.lines[-1] + len(line) + 1)
        self.edits = []  # (start, end, replacement)
        self.in_form = False
        self.matched = 0
        self.seen = {}  # name: how many fields of that name so far, in this form
        self.select = None
        self.textarea = None  # (name, end of its start tag)
        self.main_end = None

    def position(self):
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def value(self, name):
        """The kept value for the next field called `name`, or None."""
        values = self.data.get(name)
        index = self.seen.get(name, 0)
        self.seen[name] = index + 1
        return values[index] if values and index < len(values) else None

    def handle_starttag(self, tag, attrs):
        start = self.position()
        end = start + len(self.get_starttag_text())
        found = dict(attrs)
        if tag == "main" and self.main_end is None:
            self.main_end = end
        if tag == "form":
            action = urlsplit(found.get("action") or "").path or self.page
            self.in_form = (found.get("method") or "").lower() == "post" and action == self.action
            self.seen = {}
            self.matched += self.in_form
            return
        name = found.get("name")
        if not self.in_form:
            return
        if tag == "input" and name:
            kind = (found.get("type") or "text").lower()
            if kind in NOT_FILLED or name == "csrfmiddlewaretoken":
                return
            if kind in ("checkbox", "radio"):
                if name not in self.data and kind == "radio":
                    return
                checked = (found.get("value") or "on") in self.data.get(name, [])
                new = _set(attrs, "checked", None if checked else False)
            else:
                value = self.value(name)
                if value is None:
                    return
                new = _set(attrs, "value", value)
            self.edits.append((start, end, _start_tag(tag, new)))
        elif tag == "select" and name:
            self.select = name if name in self.data else None
        elif tag == "option" and self.select and "value" in found:
            chosen = found["value"] in self.data[self.select]
            self.edits.append(
                (start, end, _start_tag(tag, _set(attrs, "selected", None if chosen else False)))
            )
        elif tag == "textarea" and name:
            self.textarea = (name, end)

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            name, content_start = self.textarea
            self.textarea = None
            value = self.value(name)
            if value is not None:
                # A line break right after <textarea> is dropped by the browser: keep the text's own.
                self.edits.append(
                    (content_start, self.position(), "\n" + escape(value, quote=False))
                )


def refill(response, page, action, data, notice):
    """Fill the forms of `response` (the HTML page at the path `page`) posting to the path `action` with `data`
    (field name: list of values), and put `notice` (HTML) first in its <main>. Returns whether
    a form was found; a page without one is left as it was."""
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    text = response.content.decode(response.charset)
    parser = _Refiller(text, page, action, data)
    parser.feed(text)
    parser.close()
    if not parser.matched:
        return False
    edits = sorted(parser.edits, reverse=True)
    if parser.main_end is not None:
        edits.insert(0, (parser.main_end, parser.main_end, notice))
        edits.sort(reverse=True)
    for start, end, replacement in edits:
        text = text[:start] + replacement + text[end:]
    response.content = text.encode(response.charset)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return True
