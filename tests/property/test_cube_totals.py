"""The reporting cube's totals by statement row equal the income statement's, for every
unit of random histories at random (as-of, known-at) points (issue 15)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from support.strategies import History, examples, histories, recorded, report_points

from ledger.statement_rows import expand
from projections.cube import query_cube
from projections.statement import query_statement


@examples(0.4)
@given(history=histories(), data=st.data())
def test_the_cubes_row_totals_are_the_statements_actuals(history: History, data: st.DataObject) -> None:
    with recorded(history) as (ledger, _), ledger.state() as state:
        for year, as_of, known_at in report_points(data, history):
            for unit in history.units:
                cube = query_cube(state.conn, unit, year, as_of, known_at)
                statement = query_statement(state.conn, unit, year, as_of, known_at)
                totals = expand(cube.row_totals())
                assert {line.key: totals.get(line.key, 0) for line in statement.lines} == {
                    line.key: line.figures.actual for line in statement.lines
                }, (unit, year, as_of, known_at)
