"""The identities of DOMAIN.md hold exactly in cents in every report, for every unit, at
random (as-of, known-at) pairs, in both deviation signs (the sign is drawn per history):
the margins, Toimintatuotot and Toimintakulut as sums, TA after amendments, Poikkeama,
Toteuma %, the summary's TULOT/MENOT/NETTO, the investment nets and totals, and a
parent as the sum of its children."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st
from support.oracles import (
    amount_columns,
    both_faces,
    investment_identity_errors,
    statement_identity_errors,
    summary_errors,
)
from support.strategies import History, examples, histories, recorded, report_points

MONEY = ("statement", "investments")


@examples(0.6)
@given(history=histories(), data=st.data())
def test_every_report_satisfies_the_identities_in_both_faces(history: History, data: st.DataObject) -> None:
    with recorded(history) as (ledger, _):
        events = list(ledger.events())
        for year, as_of, known_at in report_points(data, history):
            for unit in history.units:
                statements = both_faces(ledger, events, "statement", unit, year, as_of, known_at)
                for face in statements:
                    assert statement_identity_errors(face) == []
                for face in both_faces(ledger, events, "summary", unit, year, as_of, known_at):
                    assert summary_errors(face, statements[0]) == []
                for face in both_faces(ledger, events, "investments", unit, year, as_of, known_at):
                    assert investment_identity_errors(face) == []


@examples(0.6)
@given(history=histories(), data=st.data())
def test_a_parent_reports_the_sum_of_its_children(history: History, data: st.DataObject) -> None:
    """Money lands on leaves only, so every amount of a parent is the sum over its children."""
    with recorded(history) as (ledger, _):
        events = list(ledger.events())
        for (year, as_of, known_at), kind in itertools.product(report_points(data, history), MONEY):
            amounts = {
                unit: amount_columns(both_faces(ledger, events, kind, unit, year, as_of, known_at)[1])
                for unit in history.units
            }
            for parent in history.units:
                children = history.children(parent)
                if children:
                    added: Counter[str] = Counter()
                    for child in children:
                        added.update(amounts[child])
                    assert amounts[parent] == {key: added[key] for key in amounts[parent]}, (kind, parent)
