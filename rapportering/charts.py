"""Bar charts drawn on the server as SVG: no chart JavaScript, readable in print and in PDF.

Each chart has a title and a text alternative with the same numbers, and is shown beside a
table of them. Colours keep at least 3:1 contrast against white (WCAG 1.4.11).
"""

from dataclasses import dataclass

COLOURS = {
    "not_started": "#5f6b7a",
    "in_progress": "#1f6fb2",
    "completed": "#1e7a3c",
    "postponed": "#a15c00",
    "cancelled": "#b42318",
    "green": "#1e7a3c",
    "yellow": "#8a6d00",
    "red": "#b42318",
    "": "#5f6b7a",
}
LABEL_WIDTH, BAR_AREA, ROW_HEIGHT, BAR_HEIGHT = 200, 260, 30, 20


@dataclass
class Bar:
    label: str
    count: int
    y: int
    width: int
    colour: str

    @property
    def text_y(self):
        return self.y + BAR_HEIGHT - 5

    @property
    def count_x(self):
        return LABEL_WIDTH + self.width + 6


@dataclass
class BarChart:
    key: str
    title: str
    bars: list
    width: int = LABEL_WIDTH + BAR_AREA + 50
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self):
        return len(self.bars) * ROW_HEIGHT + 10

    @property
    def description(self):
        return "; ".join(f"{bar.label}: {bar.count}" for bar in self.bars)

    @property
    def alt_text(self):
        """The title and every figure, for where one text must stand for the whole chart:
        the picture in the Word file, the figure in the tagged PDF."""
        return f"{self.title}: {self.description}"


def bar_chart(key, title, tallies):
    """A horizontal bar chart of `tallies` (rapportering.states.Tally), scaled to the largest."""
    largest = max((t.count for t in tallies), default=0) or 1
    bars = [
        Bar(
            label=str(t.label),
            count=t.count,
            y=5 + i * ROW_HEIGHT,
            width=round(BAR_AREA * t.count / largest),
            colour=COLOURS.get(t.key, COLOURS[""]),
        )
        for i, t in enumerate(tallies)
    ]
    return BarChart(key=key, title=str(title), bars=bars)
