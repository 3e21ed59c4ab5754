"""Every setting is documented in README.md, under its environment variable name."""
from pathlib import Path

import pytest

from core.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    code_lines = [line.strip() for line in README.split("```")[1].splitlines() if line.strip()]
    assert code_lines[:2] == ["make run", "make test"]


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented(name):
    field = Settings.model_fields[name]
    assert field.description, f"{name} has no description"
    assert f"`{name.upper()}`" in README, f"README does not document {name.upper()}"
