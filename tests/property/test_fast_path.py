"""The SQL fast path returns exactly the reference fold's report: every report, every
unit, any year, at random (as-of, known-at) pairs, and as of each budget decision's own
day known at its own recording (where an off-by-one in either clock shows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from hypothesis import given
from hypothesis import strategies as st
from support.oracles import FACES, both_faces
from support.strategies import History, examples, histories, recorded, report_points

from projections.render import render


def decision_points(history: History) -> list[tuple[int, date, datetime]]:
    """(fiscal year, decided on, recorded at) of every budget adoption and amendment."""
    return [
        (cast(int, c.option("year")), cast(date, c.option("decided_on")), c.recorded_at)
        for c in history.commands
        if c.name in ("adopt", "amend")
    ]


@examples(0.4)
@given(history=histories(), data=st.data())
def test_the_fast_path_equals_the_reference_fold(history: History, data: st.DataObject) -> None:
    with recorded(history) as (ledger, _):
        events = list(ledger.events())
        for year, as_of, known_at in report_points(data, history, drawn=2) + decision_points(history):
            for unit in history.units:
                for kind in FACES:
                    fold, fast = both_faces(ledger, events, kind, unit, year, as_of, known_at)
                    assert fast == fold, (kind, unit, year, as_of, known_at)
                    assert render(fast, "json", "fi") == render(fold, "json", "fi")
