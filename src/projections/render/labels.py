"""Every label people read, in Finnish and English, and the title line of a report."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from ledger import clock
from projections.query import Scope

LANGS = ("fi", "en")

REPORT_TITLES = {
    "statement": ("Tuloslaskelma", "Income statement"),
    "summary": ("Talousarvion toteutuminen", "Budget summary"),
    "investments": ("Investointiosa", "Investments"),
    "plan": ("Taloussuunnitelma", "Financial plan"),
    "goals": ("Tavoitteet", "Goals"),
    "risks": ("Riskienhallinta", "Risk register"),
}

STATUSES = {
    "achieved": ("Toteutuu", "Achieved"),
    "partly-achieved": ("Toteutuu osittain", "Partly achieved"),
    "not-achieved": ("Ei toteudu", "Not achieved"),
    "not-assessed": ("Ei arvioitu", "Not assessed"),
}

LEVELS = {
    "council": ("Valtuusto", "Council"),
    "operating-plan": ("Käyttösuunnitelma", "Operating plan"),
}

# Column key -> (Finnish, English); '{year}' and '{prior}' are filled in.
COLUMNS = {
    "key": ("Avain", "Key"),
    "label": ("Rivi", "Row"),
    "group": ("Investointiryhmä", "Investment group"),
    "prior_year_actual": ("TP {prior}", "Actual {prior}"),
    "original_budget": ("TA {year} alkuperäinen", "Original budget {year}"),
    "budget_amendments": ("TA-muutokset", "Amendments"),
    "budget": ("TA {year} muutosten jälkeen", "Budget {year}"),
    "plan_year": ("TS {year}", "Plan {year}"),
    "actual": ("Toteuma {year}", "Actual {year}"),
    "deviation": ("Poikkeama", "Deviation"),
    "utilisation_pct": ("Toteuma-%", "Utilisation %"),
    "goal": ("Tavoite", "Goal"),
    "unit": ("Yksikkö", "Unit"),
    "level": ("Taso", "Level"),
    "strategic_goal": ("Strateginen päämäärä", "Strategic goal"),
    "text": ("Tavoitteen sisältö", "Goal text"),
    "metric": ("Mittari", "Metric"),
    "target": ("Tavoitetaso", "Target"),
    "responsible": ("Vastuu", "Responsible"),
    "outcome": ("Toteuma", "Outcome"),
    "outcome_on": ("Toteuman päivä", "Outcome date"),
    "status": ("Tila", "Status"),
    "risk": ("Riski", "Risk"),
    "class": ("Riskiluokka", "Class"),
    "description": ("Tunnistettu riski", "Identified risk"),
    "probability": ("Todennäköisyys", "Probability"),
    "significance": ("Merkittävyys", "Significance"),
    "mitigation": ("Hallintakeino", "Mitigation"),
    "carried_out": ("Toteutus", "Carried out"),
    "assessed_on": ("Arvioitu", "Assessed on"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "fi" else pair[1]


def column_label(key: str, lang: str, year: int) -> str:
    return pick(COLUMNS[key], lang).format(year=year, prior=year - 1)


def format_date(day: date, lang: str) -> str:
    """'26.03.2025' in Finnish (as the printed reports), '2025-03-26' in English."""
    return f"{day:%d.%m.%Y}" if lang == "fi" else day.isoformat()


def format_moment(moment: datetime, lang: str, zone: tzinfo) -> str:
    """The moment in `zone`: '26.03.2025 klo 23.59.59 EET (UTC+02:00)' in Finnish,
    '2025-03-26 23:59:59 EET (UTC+02:00)' in English; 'UTC' alone in UTC."""
    local = clock.as_utc(moment).astimezone(zone)
    if lang == "fi":
        return f"{format_date(local.date(), lang)} klo {local:%H.%M.%S} {zone_name(local)}"
    return f"{local:%Y-%m-%d %H:%M:%S} {zone_name(local)}"


def zone_name(local: datetime) -> str:
    """'EET (UTC+02:00)', 'EEST (UTC+03:00)', 'UTC': the name, and the offset it stands for."""
    name = local.tzname() or ""
    offset = "UTC" + local.isoformat()[-6:]
    if name.startswith("UTC"):
        return name
    return f"{name} ({offset})" if name else offset


def title(report: str, scope: Scope, lang: str, zone: tzinfo, approved: str | None = None) -> str:
    """One line naming the report, the unit, the year, as-of, the approval it shows (if
    any: 'hyväksytty Kh 26.3.2025 § 79') and known-at (shown in `zone`)."""
    name = pick(REPORT_TITLES[report], lang)
    as_of = format_date(scope.as_of, lang)
    known_at = format_moment(scope.known_at, lang, zone)
    version = f"{approved}, " if approved else ""
    head = f"{name} {scope.fiscal_year} – {scope.unit} {scope.unit_name}"
    if lang == "fi":
        return f"{head} – tilanne {as_of}, {version}tiedot {known_at}"
    return f"{head} – as of {as_of}, {version}known at {known_at}"
