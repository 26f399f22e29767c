"""Helpers the tests share: CLI runners, scenarios, strategies, oracles and writers.

Imported as `support.X` (pytest's `pythonpath` is `tests`); processes a test starts with
`spawn` import them the same way.
"""
