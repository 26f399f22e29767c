"""The document's own words in Finnish and English: headings, notes and chart labels.

Column labels, goal statuses and date formats are the reports' (`projections.render.labels`).
Each entry is (Finnish, English); '{year}' is filled in where it appears.
"""

from __future__ import annotations

from projections.render.labels import pick

TEXT: dict[str, tuple[str, str]] = {
    "subtitle": (
        "Toiminnalliset tavoitteet ja talousarvion toteutuminen {year}",
        "Operational goals and budget outturn {year}",
    ),
    "entity": ("Kunta", "Municipality"),
    "unit": ("Yksikkö", "Unit"),
    "responsible_person": ("Vastuuhenkilö", "Responsible"),
    "fiscal_year": ("Tilikausi", "Fiscal year"),
    "as_of": ("Tilanne", "As of"),
    "known_at": ("Tiedot kirjattu viimeistään", "Known at"),
    "report_date": ("Päiväys", "Report date"),
    "running_header": (
        "{unit} · {year} · tilanne {as_of} · tiedot kirjattu viimeistään {known_at}",
        "{unit} · {year} · as of {as_of} · known at {known_at}",
    ),
    "figures_note": (
        "Luvut euroina. Talousarvio = talousarvio muutosten jälkeen. Toteuma % = toteuma / talousarvio.",
        "Amounts in euros. Budget = budget after amendments. Utilisation % = actual / budget.",
    ),
    "deviation_budget-minus-actual": ("Poikkeama = talousarvio − toteuma.", "Deviation = budget − actual."),
    "deviation_actual-minus-budget": ("Poikkeama = toteuma − talousarvio.", "Deviation = actual − budget."),
    "council_goals": (
        "Strategiasta johdetut tavoitteet / toimiala (valtuuston sitovuustaso)",
        "Goals derived from the strategy (council binding level)",
    ),
    "council_goals_intro": (
        "Valtuusto on hyväksynyt alla olevat tavoitteet toimialan valtuuston sitovuustason tavoitteiksi. "
        "Tavoitteet on johdettu strategiasta.",
        "The council adopted the goals below as the sector's goals at the council binding level. "
        "They are derived from the strategy.",
    ),
    "descriptions": (
        "Käyttösuunnitelma: kuvaus palvelualueiden toiminnasta ja tarkoituksesta",
        "Operating plan: what the service areas do and why",
    ),
    "summary": ("Valtuuston hyväksymä talousarvio", "Budget adopted by the council"),
    "statement": ("Tuloslaskelma", "Income statement"),
    "statement_net": ("Tuloslaskelma, nettositovuus", "Income statement, net binding"),
    "statement_gross": ("Tuloslaskelma, bruttositovuus", "Income statement, gross binding"),
    "areas": ("Palvelualueittaiset laskelmat", "Statements by service area"),
    "investments": ("Investoinnit", "Investments"),
    "plan_goals": ("Käyttösuunnitelman palvelualueittaiset tavoitteet", "Operating-plan goals by service area"),
    "plan_goals_intro": (
        "Käyttösuunnitelmassa asetetaan tavoitteet alemmalla tasolla. Käyttösuunnitelman tavoitteet hyväksyy "
        "kaupunginhallitus.",
        "The operating plan sets goals at a lower level. The city board approves them.",
    ),
    "risks": ("Riskienhallinta", "Risk management"),
    "none_goals": ("Ei kirjattuja tavoitteita.", "No goals recorded."),
    "none_descriptions": ("Ei kirjattuja kuvauksia.", "No descriptions recorded."),
    "none_areas": ("Yksiköllä ei ole alayksiköitä.", "The unit has no units below it."),
    "none_investments": ("Ei investointeja.", "No investments."),
    "none_risks": ("Ei arvioituja riskejä.", "No risks assessed."),
    "no_deviation": ("Poikkeamaselvitystä ei ole kirjattu.", "No deviation explanation recorded."),
    # Table columns of the narrative tables
    "label": ("Selite", "Item"),
    "strategic_goal": ("Strateginen päämäärä", "Strategic goal"),
    "sector_goal": ("Toimialan tavoite {year}", "Sector goal {year}"),
    "plan_goal": ("Tavoite {year}", "Goal {year}"),
    "metric_target": ("Mittari ja tavoitetaso", "Metric and target"),
    "responsible": ("Vastuu", "Responsible"),
    "outcome": ("Toteuma", "Outcome"),
    "status": ("Tila", "Status"),
    "risk_class": ("Riskiluokka / tunnistettu riski", "Risk class / identified risk"),
    "risk_value": ("Riskiarvo", "Risk value"),
    "probability": ("Todennäköisyys", "Probability"),
    "significance": ("Merkittävyys", "Significance"),
    "mitigation": ("Hallintakeino", "Mitigation"),
    "carried_out": ("Hallintakeinon toteutuminen", "How the mitigation was carried out"),
    "investment_group": ("Investointiryhmä", "Investment group"),
    # The budget's phases and decisions
    "budget_phases": ("Talousarvio ja sen muutokset {year}", "The budget and its amendments {year}"),
    "decision": ("Päätös", "Decision"),
    "decided_on": ("Päätetty", "Decided on"),
    "decision_kind": ("Laji", "Kind"),
    "decision_reason": ("Peruste", "Reason"),
    "decision_margin": ("Toimintakate", "Operating margin"),
    "decision_total": ("Yhteensä", "Total"),
    "decision_original": ("Talousarvio", "Budget"),
    "decision_council": ("Talousarviomuutos", "Budget amendment"),
    "decision_operating-plan": ("Käyttösuunnitelmamuutos", "Operating-plan amendment"),
    # Whether the binding appropriation held
    "binding_held": ("Valtuuston sitovuustason toteutuminen", "Did the council's binding level hold"),
    "binding_unit": ("Sitova yksikkö", "Binding unit"),
    "binding_item": ("Sitova erä", "Bound figure"),
    "binding_verdict": ("Toteutuminen", "Outcome"),
    "binding_net": ("nettositovuus", "net binding"),
    "binding_gross": ("bruttositovuus", "gross binding"),
    "appropriation_held": ("Määräraha ei ylittynyt", "Appropriation not exceeded"),
    "appropriation_overrun": ("Määräraha ylittyi {amount} €", "Appropriation exceeded by {amount} €"),
    "income_held": ("Tuloarvio toteutui", "Income estimate met"),
    "income_short": ("Tuloarvio alittui {amount} €", "Income short of the estimate by {amount} €"),
    # Figure columns, as the printed reports head them ({prior}, {year}, {period} filled in)
    "prior_year_actual": ("Tilinpäätös {prior}", "Actual {prior}"),
    "budget": ("Talousarvio {year}", "Budget {year}"),
    "short_prior_year_actual": ("TP {prior}", "Actual {prior}"),
    "short_budget": ("TA {year}", "Budget {year}"),
    "actual": ("Toteuma {period}", "Actual {period}"),
    "illustrative_heading": ("Havainnollistava aineisto", "Illustrative data"),
    "illustrative_lead": (
        "Osa raportin tapahtumista on kirjanpidossa merkitty havainnollistaviksi: niiden tiedot on valittu tai "
        "keksitty, eivätkä ne ole peräisin julkaistusta aineistosta. Merkinnät perusteluineen näyttää "
        "kuntaledger events.",
        "Some events behind this report are marked illustrative in the ledger: their data were chosen or "
        "invented, not taken from the record. kuntaledger events shows the marks and their notes.",
    ),
    "part_vouchers": ("kirjaukset (tositteet)", "postings (vouchers)"),
    "part_decisions": ("talousarvio- ja tilinpäätöspäätökset", "budget and closing decisions"),
    "part_goals": ("tavoitteet ja niiden toteuma", "goals and their outcomes"),
    "part_risks": ("riskit", "risks"),
    "part_texts": ("tekstit (kuvaukset, poikkeamien perustelut)", "texts (descriptions, deviation explanations)"),
    "part_organisation": ("organisaatio, tilit ja hankkeet", "organisation, accounts and projects"),
    "part_other": ("muut tapahtumat", "other events"),
    "events_one": ("{count} tapahtuma", "{count} event"),
    "events_many": ("{count} tapahtumaa", "{count} events"),
    "monthly_illustrative": (
        "Kuukausijako perustuu havainnollistaviin tositepäivämääriin (merkitty kirjanpidossa).",
        "The split by month rests on illustrative voucher dates (marked in the ledger).",
    ),
    "deviation": ("Poikkeama", "Deviation"),
    "utilisation_pct": ("Toteuma %", "Utilisation %"),
    # Charts
    "area_chart": ("Talousarvio ja toteuma palvelualueittain", "Budget and actual by service area"),
    "area_chart_axis": ("Nettomenot (−toimintakate), €", "Net expenditure (−operating margin), €"),
    "area_chart_caption": (
        "Palvelualueiden nettomenot eli toimintakate käännetyllä etumerkillä: talousarvio muutosten jälkeen "
        "ja toteuma.",
        "Each service area's net expenditure, the operating margin with its sign turned: budget after "
        "amendments and actual.",
    ),
    "monthly_chart": ("Toimintakulujen kertymä kuukausittain", "Cumulative operating expenses by month"),
    "monthly_chart_axis": ("Toimintakulut positiivisina, €", "Operating expenses as positive amounts, €"),
    "monthly_chart_caption": (
        "Toteutuneiden toimintakulujen kertymä kunkin kuukauden lopussa (viimeisen kuukauden osalta "
        "tilannepäivään asti) sekä muutosten jälkeisen talousarvion toimintakulut tasaisesti kuukausille "
        "jaettuina. Kulut on kuvattu positiivisina, vaikka laskelmissa ne ovat negatiivisia.",
        "Actual operating expenses accumulated to each month's end (the last month up to the as-of date), and "
        "the operating-expenses budget after amendments spread evenly over the months. Expenses are drawn as "
        "positive amounts, although the statements print them negative.",
    ),
    "budget_series": ("Talousarvio muutosten jälkeen", "Budget after amendments"),
    "budget_profile": ("Talousarvio tasajaolla", "Budget, straight-line"),
    "actual_series": ("Toteuma", "Actual"),
    "cumulative_series": ("Toteuma, kertymä", "Actual, cumulative"),
    "month": ("Kuukausi", "Month"),
    "month_expenses": ("Kuukauden toimintakulut", "Operating expenses in the month"),
    "cumulative": ("Kertymä", "Cumulative"),
    "share_of_budget": ("% talousarviosta", "% of budget"),
    "no_chart": ("Ei kuvattavia lukuja.", "No figures to chart."),
}

MONTHS: tuple[tuple[str, str], ...] = (
    ("tammi", "Jan"),
    ("helmi", "Feb"),
    ("maalis", "Mar"),
    ("huhti", "Apr"),
    ("touko", "May"),
    ("kesä", "Jun"),
    ("heinä", "Jul"),
    ("elo", "Aug"),
    ("syys", "Sep"),
    ("loka", "Oct"),
    ("marras", "Nov"),
    ("joulu", "Dec"),
)


def text(key: str, lang: str, year: int | None = None) -> str:
    found = pick(TEXT[key], lang)
    return found.format(year=year) if year is not None else found


def month(number: int, lang: str) -> str:
    return pick(MONTHS[number - 1], lang)
