"""`cli.app.COMMANDS` names every command and the module that defines it, so that the
console script imports only what a command line needs."""

from __future__ import annotations

import pytest

from cli.app import COMMAND_MODULES, COMMANDS, app, modules_for


def registered() -> dict[str, str]:
    """Every command of the app, by the words that name it, and its function's module."""
    found = {command.name or "": command.callback.__module__ for command in app.registered_commands if command.callback}
    for group in app.registered_groups:
        typer_app = group.typer_instance
        assert group.name is not None and typer_app is not None
        if typer_app.registered_callback is not None and typer_app.registered_callback.callback is not None:
            found[group.name] = typer_app.registered_callback.callback.__module__
        for command in typer_app.registered_commands:
            assert command.callback is not None
            found[f"{group.name} {command.name}"] = command.callback.__module__
    return found


def test_the_table_names_every_registered_command_and_its_module() -> None:
    assert registered() == COMMANDS


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_a_command_line_imports_the_module_that_defines_its_command(path: str) -> None:
    words = path.split(" ")
    needed = modules_for([*words, "--store", "x"])
    assert COMMANDS[path] in needed
    if len(words) == 2 and words[0] in COMMANDS:
        assert COMMANDS[words[0]] in needed  # the group's own options and callback


@pytest.mark.parametrize(
    ("words", "modules"),
    [
        (["statement", "--unit", "YP"], ("cli.reports",)),
        (["goals", "--unit", "YP", "--year", "2024"], ("cli.reports",)),
        (["goals", "set", "--unit", "YP"], ("cli.reports", "cli.recording")),
        (["units", "list"], ("cli.lists",)),
        (["units"], ("cli.recording", "cli.lists")),
        (["goals", "--help"], ("cli.reports", "cli.recording")),
        (["statement", "--help"], ("cli.reports",)),
        ([], COMMAND_MODULES),
        (["--help"], COMMAND_MODULES),
        (["statment"], COMMAND_MODULES),
    ],
)
def test_help_for_a_group_or_a_word_that_is_no_command_imports_more(words: list[str], modules: tuple[str, ...]) -> None:
    assert modules_for(words) == modules
