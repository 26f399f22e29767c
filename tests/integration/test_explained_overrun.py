"""An explained overrun at a binding unit stays in `check`, as an explained finding with
its explanation, and no longer fails it (the seed's own commentary explains its
deviations the same way). Each runs on SQLite and PostgreSQL."""

from __future__ import annotations

from support.audit_world import position_of
from support.cli_helpers import Kuntaledger, check, of


def explain_tek(world: Kuntaledger) -> None:
    world.ok(
        "explain-deviation", "--unit", "TEK", "--year", "2024", "--text", "Leuto talvi: katujen myyntituotot jäivät",
        "--on", "2025-02-20",
    )  # fmt: skip


def test_an_unexplained_overrun_fails_check(world: Kuntaledger) -> None:
    code, findings = check(world)

    assert code == 1
    assert [f["severity"] for f in of(findings, "binding-level-overrun", "TEK")] == ["error"]


def test_an_explained_overrun_is_reported_with_its_explanation_and_check_passes(world: Kuntaledger) -> None:
    explain_tek(world)

    code, findings = check(world)

    (finding,) = of(findings, "binding-level-overrun", "TEK")
    assert code == 0
    assert finding["severity"] == "info"
    assert finding["message"].startswith("explained: TEK Tekniset palvelut: the income (toimintatuotot) is 70 000 €")
    assert "'Leuto talvi: katujen myyntituotot jäivät' (explain-deviation on 2025-02-20, event " in finding["message"]
    assert finding["figures"]["overrun"] == "10000.00"
    assert position_of(world, "DeviationExplained", -1) in finding["events"]


def test_an_overrun_known_before_its_explanation_still_fails(world: Kuntaledger) -> None:
    before = world.events()[-1]["recorded_at"]
    explain_tek(world)

    code, findings = check(world, "--known-at", before)

    assert code == 1
    assert [f["severity"] for f in of(findings, "binding-level-overrun", "TEK")] == ["error"]
