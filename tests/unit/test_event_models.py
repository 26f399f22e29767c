"""Events are frozen, strict pydantic models: no floats for money, no stray fields."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from support.event_samples import FIELDS, LINE, VOUCHER, sample

from ledger import events as ev


def test_every_event_type_has_a_sample_and_a_unique_topic() -> None:
    assert set(FIELDS) == set(ev.EVENT_TYPES)
    assert len(ev.EVENTS_BY_TOPIC) == len(ev.EVENT_TYPES)
    assert all(cls.TOPIC.removeprefix("kuntaledger.") == ev.type_name(cls) for cls in ev.EVENT_TYPES)


@pytest.mark.parametrize("amount", [100.0, 100.5, "100", True, None])
def test_a_posting_line_amount_must_be_an_int(amount: object) -> None:
    with pytest.raises(ValidationError, match="amount_cents"):
        ev.PostingLine(account="4010", unit="TAL", amount_cents=amount)  # type: ignore[arg-type]


def test_a_float_budget_amount_is_refused() -> None:
    with pytest.raises(ValidationError, match="amount_cents"):
        ev.BudgetLine(unit="TAL", line="x", row="sales_income", amount_cents=1.0)  # type: ignore[arg-type]


def test_a_fractional_amount_inside_a_stored_event_is_refused_when_read_back() -> None:
    # The mapper validates stored payloads in lax mode (dates from strings, tuples from
    # lists), which also lets 12.0 through as 12; a fraction of a cent never passes.
    payload = sample(ev.VouchersPosted).model_dump(mode="json")
    payload["vouchers"][0]["lines"][0]["amount_cents"] = 12.5

    with pytest.raises(ValidationError, match="amount_cents"):
        ev.VouchersPosted.model_validate(payload, strict=False)


def test_the_same_payload_with_int_amounts_is_read_back_in_lax_mode() -> None:
    event = sample(ev.VouchersPosted)

    assert ev.VouchersPosted.model_validate(event.model_dump(mode="json"), strict=False) == event


def test_events_and_their_values_are_frozen() -> None:
    event = sample(ev.UnitAdded)

    with pytest.raises(ValidationError):
        event.code = "X"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        VOUCHER.lines[0].amount_cents = 1  # type: ignore[misc]


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="extra"):
        ev.BudgetLine(**LINE.model_dump(), note="x")


@pytest.mark.parametrize("value", [0, 4])
def test_risk_probability_is_one_to_three(value: int) -> None:
    with pytest.raises(ValidationError, match="probability"):
        sample(ev.RiskAssessed, probability=value)


def test_literal_fields_take_only_the_documented_words() -> None:
    with pytest.raises(ValidationError, match="binding"):
        sample(ev.UnitAdded, binding="strict")
    with pytest.raises(ValidationError, match="body"):
        ev.Decision(body="mayor", reference="x", decided_on=VOUCHER.effective_on)  # type: ignore[arg-type]


def test_content_leaves_out_the_position_and_the_chain_hash_only() -> None:
    event = sample(ev.VoucherReversed, position=12)

    content = event.content()

    assert event.position == 12
    assert set(content) == {"recorded_at", "actor", "voucher", "effective_on", "reason"}
    assert content["effective_on"] == "2024-06-30"
