"""The SQL fast path returns exactly the reference fold's report: every report, every
unit, any year, at random (as-of, known-at) pairs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from oracles import FACES, both_faces
from strategies import History, examples, histories, recorded, report_points

from projections.render import render


@examples(0.4)
@given(history=histories(), data=st.data())
def test_the_fast_path_equals_the_reference_fold(history: History, data: st.DataObject) -> None:
    with recorded(history) as (ledger, _):
        events = list(ledger.events())
        for year, as_of, known_at in report_points(data, history, drawn=2):
            for unit in history.units:
                for kind in FACES:
                    fold, fast = both_faces(ledger, events, kind, unit, year, as_of, known_at)
                    assert fast == fold, (kind, unit, year, as_of, known_at)
                    assert render(fast, "json", "fi") == render(fold, "json", "fi")
