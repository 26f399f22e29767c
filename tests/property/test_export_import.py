"""Export then import gives the same log, the same chain hashes and the same reports; an
export cut at a known-at moment T imports as the store as it was known at T."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from support.oracles import FACES, NOW, both_faces, snapshot
from support.strategies import YEARS, History, examples, histories, recorded

from ledger.application import Ledger
from ledger.events import LedgerEvent
from ledger.log_file import export_log, import_log, write_json
from ledger.verification import stored_records, verify_chain
from projections.render import render


def log_of(events: list[LedgerEvent]) -> list[tuple[str, int, str, dict[str, object]]]:
    return [(type(e).__name__, e.position, e.chain_hash, e.content()) for e in events]


@examples(0.3)
@given(history=histories(), data=st.data())
def test_export_then_import_gives_the_same_log_hashes_and_reports(history: History, data: st.DataObject) -> None:
    known_at = data.draw(st.sampled_from(history.recording_times), label="known at")  # exactly a recording
    cut = data.draw(st.booleans(), label="export only what was known at T")
    with recorded(history) as (ledger, _), tempfile.TemporaryDirectory() as directory:
        exported = Path(directory) / "log.json"
        write_json(export_log(ledger, known_at if cut else None), exported)
        with Ledger(f"sqlite:///{Path(directory) / 'imported.db'}") as imported:
            original = [e for e in ledger.events() if not cut or e.recorded_at <= known_at]
            if not original:
                return
            assert import_log(imported, exported) == len(original)
            assert log_of(list(imported.events())) == log_of(original)
            chain = verify_chain(stored_records(imported.app.recorder, imported.app.mapper))
            assert chain.ok and chain.head.chain_hash == original[-1].chain_hash
            if not cut:
                assert snapshot(imported, YEARS) == snapshot(ledger, YEARS)
                return
            events, copied = list(ledger.events()), list(imported.events())
            units = {e.code for e in copied if type(e).__name__ == "UnitAdded"}
            for unit in sorted(units):
                for kind in FACES:
                    then = both_faces(ledger, events, kind, unit, YEARS[1], NOW.date(), known_at)[1]
                    now = both_faces(imported, copied, kind, unit, YEARS[1], NOW.date(), known_at)[1]
                    assert render(then, "json", "fi") == render(now, "json", "fi"), (kind, unit)
