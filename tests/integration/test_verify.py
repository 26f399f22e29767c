"""`verify` and `seal`: tampering with the stored log is caught on both stores (ADR 0006)."""

from __future__ import annotations

import json
from typing import Any

from support.audit_world import (
    execute,
    execute_read_model,
    position_of,
    rehash_from,
    stored_payload,
    write_payload,
)
from support.cli_helpers import Kuntaledger

from ledger.application import Ledger


def verify(cli: Kuntaledger, *args: str) -> tuple[int, dict[str, Any]]:
    run = cli("verify", "--format", "json", *args)
    return run.exit_code, json.loads(run.stdout)


def test_an_untouched_log_verifies_and_its_read_models_equal_a_replay(world: Kuntaledger) -> None:
    code, report = verify(world)

    assert code == 0
    assert report["events_verified"] == world.event_count()
    assert report["chain_broken_at"] is None
    assert report["read_models_checked"] is True
    assert report["read_model_problems"] == []


def test_the_stored_payload_is_what_the_chain_hashed(world: Kuntaledger) -> None:
    """Verification hashes the stored payload; it must be the content the writer hashed."""
    with Ledger(world.store_url) as ledger:
        for event in ledger.events():
            payload = stored_payload(world.store_url, event.position)
            payload.pop("chain_hash")
            assert payload == event.content()


def test_an_altered_event_is_reported_at_its_position(world: Kuntaledger) -> None:
    target = position_of(world, "VouchersPosted")
    payload = stored_payload(world.store_url, target)
    payload["vouchers"][0]["lines"][0]["amount_cents"] += 100
    write_payload(world.store_url, target, payload)

    code, report = verify(world)

    assert code == 1
    assert report["chain_broken_at"] == target
    assert "does not match its chain hash" in report["chain_problem"]
    assert report["head_position"] == target - 1


def test_an_altered_actor_is_reported_too(world: Kuntaledger) -> None:
    payload = stored_payload(world.store_url, 5)
    payload["actor"] = "somebody else"
    write_payload(world.store_url, 5, payload)

    assert verify(world)[1]["chain_broken_at"] == 5


def test_a_deleted_event_is_reported_at_the_missing_position(world: Kuntaledger) -> None:
    execute(world.store_url, lambda t: f"DELETE FROM {t} WHERE originator_version = 7")

    code, report = verify(world)

    assert code == 1
    assert report["chain_broken_at"] == 7
    assert "position 7 is missing" in report["chain_problem"]


def test_events_swapped_in_place_are_reported_at_the_first_of_them(world: Kuntaledger) -> None:
    first, second = stored_payload(world.store_url, 9), stored_payload(world.store_url, 10)
    write_payload(world.store_url, 9, second)
    write_payload(world.store_url, 10, first)

    code, report = verify(world)

    assert code == 1
    assert report["chain_broken_at"] == 9


def test_positions_swapped_between_rows_are_reported(world: Kuntaledger) -> None:
    """The rows keep their place in the notification log but trade positions."""
    swap = [(-1, 9), (9, 10), (10, -1)]
    for new, old in swap:
        execute(
            world.store_url,
            lambda t: f"UPDATE {t} SET originator_version = ? WHERE originator_version = ?",
            (new, old),
        )

    code, report = verify(world)

    assert code == 1
    assert report["chain_broken_at"] == 9
    assert "deleted or moved" in report["chain_problem"]


def test_a_rewritten_chain_passes_alone_but_not_against_the_seal(world: Kuntaledger) -> None:
    sealed = world.ok("seal").stdout.split()
    assert sealed[0] == str(world.event_count())
    target = position_of(world, "BudgetAdopted")
    payload = stored_payload(world.store_url, target)
    payload["lines"][0]["amount_cents"] = 99
    write_payload(world.store_url, target, payload)
    rehash_from(world.store_url, target)

    assert verify(world)[0] == 1  # the read models still show the old budget
    code, report = verify(world, "--sealed", ":".join(sealed))
    assert code == 1
    assert report["chain_broken_at"] == int(sealed[0])
    assert "differs from the seal" in report["chain_problem"]


def test_the_seal_catches_events_deleted_from_the_end(world: Kuntaledger) -> None:
    sealed = ":".join(world.ok("seal").stdout.split())
    head = world.event_count()
    execute(world.store_url, lambda t: f"DELETE FROM {t} WHERE originator_version = ?", (head,))

    code, report = verify(world, "--sealed", sealed)

    assert code == 1
    assert report["chain_broken_at"] == head
    assert "were deleted" in report["chain_problem"]


def test_a_seal_keeps_verifying_after_more_events_are_recorded(world: Kuntaledger) -> None:
    sealed = ":".join(world.ok("seal").stdout.split())
    world.ok("explain-deviation", "--unit", "TEK", "--year", "2024", "--text", "Snow", "--on", "2025-04-01")

    code, report = verify(world, "--sealed", sealed)

    assert code == 0
    assert report["head_position"] == world.event_count()


def test_a_changed_read_model_is_reported_by_table(world: Kuntaledger) -> None:
    execute_read_model(world.store_url, "UPDATE rm_amounts SET amount_cents = amount_cents + 1 WHERE unit = 'IT'")

    code, report = verify(world)

    assert code == 1
    assert report["chain_broken_at"] is None
    (problem,) = report["read_model_problems"]
    assert "rm_amounts" in problem and "IT" in problem
    assert "either may have been altered" in report["read_model_advice"]


def test_a_malformed_seal_is_refused_with_the_expected_form(world: Kuntaledger) -> None:
    run = world("verify", "--sealed", "12")

    assert run.exit_code == 2
    assert "POSITION:HASH" in run.stderr


def test_a_broken_chain_is_not_sealed(world: Kuntaledger) -> None:
    execute(world.store_url, lambda t: f"DELETE FROM {t} WHERE originator_version = 3")

    run = world("seal")

    assert run.exit_code == 1
    assert "position 3" in run.stderr
    assert run.stdout == ""
