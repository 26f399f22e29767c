"""What a compliance rule returns: findings as data, never exceptions (ADR 0008)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from ledger.money import format_plain

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, how grave, where, the figures and events behind it, and
    a message that says what is wrong and what to do about it."""

    rule: str
    severity: Severity
    unit: str | None
    message: str
    figures: Mapping[str, int] = field(default_factory=dict)  # named amounts in cents, statement sign
    events: tuple[int, ...] = ()  # log positions

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "unit": self.unit,
            "message": self.message,
            "figures": {name: format_plain(cents) for name, cents in self.figures.items()},
            "events": list(self.events),
        }


@dataclass(frozen=True)
class Thresholds:
    """When a deviation at a binding unit needs an explanation: beyond both limits."""

    deviation_pct: Decimal = Decimal("5")
    deviation_cents: int = 1_000_000  # 10 000 €


def severity_order(finding: Finding) -> int:
    return SEVERITIES.index(finding.severity)
