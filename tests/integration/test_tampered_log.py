"""A tampered log is never laundered: `rebuild` refuses it, every report warns when its
read models disagree with the log, and `verify` says either may have been altered and
advises the seal, not a rebuild (ADR 0022). Both stores."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from support.audit_world import (
    execute,
    position_of,
    rehash_from,
    stored_payload,
    write_payload,
)
from support.cli_helpers import Kuntaledger

REPORTS = (
    ("statement", "--unit", "YP"),
    ("summary", "--unit", "YP"),
    ("investments", "--unit", "YP"),
    ("goals", "--unit", "YP"),
    ("risks", "--unit", "YP"),
)
WARNING = "run `kuntaledger verify`"


def rechain(world: Kuntaledger) -> int:
    """The adopted budget's first line (HALL sales income 10 000 €) becomes 0,99 €, and
    every hash from there on is recomputed: the chain alone verifies."""
    target = position_of(world, "BudgetAdopted")
    payload = stored_payload(world.store_url, target)
    payload["lines"][0]["amount_cents"] = 99
    write_payload(world.store_url, target, payload)
    rehash_from(world.store_url, target)
    return target


def delete_tail(world: Kuntaledger) -> int:
    head = world.event_count()
    execute(world.store_url, lambda t: f"DELETE FROM {t} WHERE originator_version = ?", (head,))
    return head


def alter_payload(world: Kuntaledger) -> int:
    target = position_of(world, "VouchersPosted")
    payload = stored_payload(world.store_url, target)
    payload["vouchers"][0]["lines"][0]["amount_cents"] += 100
    write_payload(world.store_url, target, payload)
    return target


TAMPERINGS: dict[str, Callable[[Kuntaledger], int]] = {
    "re-chained": rechain,
    "tail deleted": delete_tail,
    "payload altered": alter_payload,
}


def statement_rows(world: Kuntaledger) -> Any:
    return json.loads(world.ok("statement", "--unit", "YP", "--year", "2024", "--format", "json").stdout)["rows"]


@pytest.mark.parametrize("tamper", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_rebuild_refuses_a_tampered_log_naming_the_position_and_changes_nothing(
    world: Kuntaledger, tamper: Callable[[Kuntaledger], int]
) -> None:
    before = statement_rows(world)
    head = world.event_count()
    position = tamper(world)
    if tamper is rechain:
        position = head  # a rewritten chain holds; it first differs where the read models recorded it

    run = world("rebuild")

    assert run.exit_code == 2
    assert run.stderr.startswith("error: ")
    assert f"position {position}" in run.stderr
    assert "nothing was changed" in run.stderr
    assert "verify --sealed" in run.stderr
    assert statement_rows(world) == before  # the read models as they were, not the falsified figures


def test_rebuild_of_an_untouched_log_still_refills_the_read_models(world: Kuntaledger) -> None:
    before = statement_rows(world)

    run = world.ok("rebuild")

    assert "rebuilt the read models" in run.stderr
    assert statement_rows(world) == before


def test_rebuild_against_a_matching_seal_refills_read_models_that_disagree(world: Kuntaledger) -> None:
    """The read models' own record may be what was altered; the auditor's seal decides."""
    sealed = ":".join(world.ok("seal").stdout.split())
    world_log_head = world.event_count()
    _alter_read_models_record(world, world_log_head)
    assert world("rebuild").exit_code == 2

    world.ok("rebuild", "--sealed", sealed)

    assert world.ok("verify").exit_code == 0


def test_rebuild_refuses_a_log_that_differs_from_the_seal_given(world: Kuntaledger) -> None:
    sealed = ":".join(world.ok("seal").stdout.split())
    rechain(world)

    run = world("rebuild", "--sealed", sealed)

    assert run.exit_code == 2
    assert "differs from the seal" in run.stderr


@pytest.mark.parametrize("tamper", [rechain, delete_tail], ids=["re-chained", "tail deleted"])
@pytest.mark.parametrize("report", REPORTS, ids=[r[0] for r in REPORTS])
def test_every_report_warns_when_its_read_models_disagree_with_the_log(
    world: Kuntaledger, tamper: Callable[[Kuntaledger], int], report: tuple[str, ...]
) -> None:
    tamper(world)

    run = world(*report, "--year", "2024", "--format", "json")

    assert run.exit_code == 0
    assert run.stderr.startswith("warning: ") and WARNING in run.stderr
    flag = json.loads(run.stdout)["read_models"]
    assert flag["consistent"] is False
    assert "position" in flag["problem"]
    table = world(*report, "--year", "2024")
    assert table.exit_code == 0 and WARNING in table.stderr


@pytest.mark.parametrize("report", REPORTS, ids=[r[0] for r in REPORTS])
def test_a_healthy_store_flags_its_read_models_consistent_and_warns_nothing(
    world: Kuntaledger, report: tuple[str, ...]
) -> None:
    run = world(*report, "--year", "2024", "--format", "json")

    assert run.exit_code == 0 and "warning" not in run.stderr
    assert json.loads(run.stdout)["read_models"] == {"consistent": True, "problem": None}


def test_verify_on_a_rechained_log_says_either_may_be_altered_and_shows_the_figures(world: Kuntaledger) -> None:
    rechain(world)

    run = world("verify", "--format", "json")

    assert run.exit_code == 1
    report = json.loads(run.stdout)
    assert "either may have been altered" in report["read_model_advice"]
    assert "verify --sealed POSITION:HASH" in report["read_model_advice"]
    assert "do not rebuild" in report["read_model_advice"]
    assert not any("rebuild" in problem for problem in report["read_model_problems"])
    budget = next(d for d in report["read_model_differences"] if d["table"] == "rm_budget_lines")
    assert [row["amount_cents"] for row in budget["only_in_read_models"]] == [1_000_000]
    assert [row["amount_cents"] for row in budget["only_in_log"]] == [99]
    assert budget["only_in_log"][0]["unit"] == "HALL"
    table = world("verify").stdout
    assert "HALL" in table and "sales_income" in table and "10 000,00" in table and "0,99" in table


def test_verify_on_a_log_whose_tail_was_deleted_names_what_the_read_models_still_hold(world: Kuntaledger) -> None:
    head = delete_tail(world)

    run = world("verify")

    assert run.exit_code == 1
    assert f"position {head}" in run.stdout
    assert "either may have been altered" in run.stdout and "verify --sealed POSITION:HASH" in run.stdout
    assert "ICT costs grew" in run.stdout  # the deleted event's text, still in the read models


def _alter_read_models_record(world: Kuntaledger, position: int) -> None:
    from support.audit_world import execute_read_model

    execute_read_model(world.store_url, f"UPDATE rm_log SET chain_hash = '{'0' * 64}' WHERE position = {position}")


OTHER_READERS = (
    ("report", "--unit", "YP", "--year", "2024", "--format", "md"),
    ("explain", "--unit", "YP", "--row", "personnel_expenses", "--column", "actual", "--year", "2024"),
    ("events",),
)


@pytest.mark.parametrize("command", OTHER_READERS, ids=[c[0] for c in OTHER_READERS])
def test_the_document_explain_and_the_log_listing_warn_too(world: Kuntaledger, command: tuple[str, ...]) -> None:
    healthy = world.ok(*command)
    assert "warning" not in healthy.stderr
    rechain(world)

    run = world(*command)

    assert run.exit_code == 0 and run.stderr.startswith("warning: ") and WARNING in run.stderr


def test_check_warns_when_its_read_models_disagree_with_the_log(world: Kuntaledger) -> None:
    assert WARNING not in world("check", "--year", "2024").stderr
    rechain(world)

    assert WARNING in world("check", "--year", "2024").stderr
