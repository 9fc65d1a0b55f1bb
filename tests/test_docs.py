"""The promises about the surface: every setting documented, every command in the README."""

from __future__ import annotations

from pathlib import Path

from ree.config import Settings

REPO = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    doc = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`REE_{name.upper()}`" not in doc]
    assert missing == []


def test_readme_starts_with_the_two_commands() -> None:
    head = (REPO / "README.md").read_text(encoding="utf-8")[:600]
    assert "make run" in head and "make test" in head


def test_every_cli_command_is_in_the_readme() -> None:
    from ree.cli import app

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    for name in names:
        assert f"ree {name}" in readme or (name == "serve" and "make run" in readme), name
