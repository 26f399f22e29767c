"""The report's two charts, drawn by matplotlib as SVG (ADR 0010).

- budget and actual net expenditure per service area (horizontal bars);
- the unit's cumulative actual operating expenses by month against the budget after
  amendments spread evenly over the year.

The output is deterministic: a fixed `svg.hashsalt`, no date in the metadata, text drawn
as paths (the file looks the same everywhere, with no font to ship). Amounts become
floats only here, as drawing coordinates; every printed figure is formatted by money.py.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ledger.money import format_fi
from projections.document import labels as words
from projections.document.figures import net_expenditure
from projections.document.model import UnitSection
from projections.monthly import MonthlyExpenditure

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

BUDGET_COLOUR = "#9db4cc"
ACTUAL_COLOUR = "#1f4e79"
GRID_COLOUR = "#d9d9d9"
WIDTH_IN = 7.0  # fits the A4 text width (180 mm) at 100 %
RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "kuntaledger",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.edgecolor": "#7f7f7f",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _euros_axis_label(value: float, _position: float) -> str:
    return format_fi(round(value * 100))


def _to_svg(figure: Figure, salt: str) -> str:
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.hashsalt": f"kuntaledger-{salt}"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "kuntaledger"}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # no XML declaration or DOCTYPE: the SVG element alone


def area_chart(areas: Sequence[UnitSection], lang: str) -> str | None:
    """Budget vs actual net expenditure per area, the first area on top."""
    if not areas or not any(any(net_expenditure(area)) for area in areas):
        return None
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    names = [area.name for area in areas]
    budget = [net_expenditure(area)[0] / 100 for area in areas]
    actual = [net_expenditure(area)[1] / 100 for area in areas]
    with rc_context(RC):
        figure = Figure(figsize=(WIDTH_IN, 0.45 * len(areas) + 1.2))
        axes = figure.subplots()
        slots = list(range(len(areas) - 1, -1, -1))  # the first area at the top
        height = 0.38
        axes.barh(
            [y + height / 2 for y in slots],
            budget,
            height,
            color=BUDGET_COLOUR,
            label=words.text("budget_series", lang),
        )
        axes.barh(
            [y - height / 2 for y in slots],
            actual,
            height,
            color=ACTUAL_COLOUR,
            label=words.text("actual_series", lang),
        )
        axes.set_yticks(slots, names)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=6))
        axes.xaxis.set_major_formatter(FuncFormatter(_euros_axis_label))
        axes.set_xlabel(words.text("area_chart_axis", lang))
        axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.axvline(0, color="#7f7f7f", linewidth=0.6)
        axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, frameon=False)
        return _to_svg(figure, "area")


def monthly_chart(monthly: MonthlyExpenditure, lang: str) -> str | None:
    """Cumulative actual operating expenses (as positive euros) and the straight-line budget."""
    if not monthly.months and not monthly.budget_cents:
        return None
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    every_month = list(range(0, 13))
    budget = [-monthly.budget_cents / 100 * month / 12 for month in every_month]
    months = [0] + [figure.month for figure in monthly.months]
    actual = [0.0] + [-figure.cumulative_cents / 100 for figure in monthly.months]
    with rc_context(RC):
        figure = Figure(figsize=(WIDTH_IN, 2.8))
        axes = figure.subplots()
        axes.plot(
            every_month,
            budget,
            color=BUDGET_COLOUR,
            linewidth=2,
            linestyle="--",
            label=words.text("budget_profile", lang),
        )
        axes.plot(
            months,
            actual,
            color=ACTUAL_COLOUR,
            linewidth=2.2,
            marker="o",
            markersize=3.5,
            label=words.text("cumulative_series", lang),
        )
        axes.set_xticks(list(range(1, 13)), [words.month(month, lang) for month in range(1, 13)])
        axes.set_xlim(0, 12.3)
        axes.yaxis.set_major_formatter(FuncFormatter(_euros_axis_label))
        axes.set_ylabel(words.text("monthly_chart_axis", lang))
        axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)
        axes.set_axisbelow(True)
        axes.legend(loc="upper left", frameon=False)
        return _to_svg(figure, "monthly")
