"""The README cannot drift: its examples are regenerated from the code and the bundled model and compared.

When this fails after a deliberate change (a retrained default model, a new output
format), run ``python -m tests.readme_examples --update`` and commit README.md.
"""

from __future__ import annotations

import re
import shlex

import pytest
import readme_examples


def test_readme_examples_match_the_code_and_the_bundled_model():
    current, generated = readme_examples.render()
    names = [match.group(1) for match in readme_examples.MARKER.finditer(current)]
    assert sorted(names) == sorted(readme_examples.EXAMPLES), names
    if current != generated:
        pytest.fail("README.md examples differ from what the code and bundled model print:\n"
                    + readme_examples.diff(current, generated)
                    + f"\nIf the change is intended, regenerate them: {readme_examples.UPDATE_COMMAND}", pytrace=False)


def readme_commands() -> list[str]:
    """Every `framing ...` command in the README's inline code and `$ framing` lines."""
    text = readme_examples.README.read_text(encoding="utf-8")
    commands = re.findall(r"`(framing [^`]+)`", text) + re.findall(r"^\$ (framing .+)$", text, re.MULTILINE)
    found = []
    for command in commands:
        for part in command.replace("\\|", "|").split("|"):
            part = part.strip()
            if part.startswith("framing ") and "..." not in part:
                found.append(re.sub(r"\[([^\]]*)\]", r"\1", part))  # optional parts: check them too
    return found


@pytest.mark.parametrize("command", readme_commands())
def test_readme_commands_parse(command):
    from framing.cli._main import build_parser

    words = shlex.split(command.split(">")[0])[1:]
    if words[:1] == ["COMMAND"] or "--help" in words or "--version" in words:
        pytest.skip("placeholder")
    try:
        build_parser().parse_args(words)
    except SystemExit as error:  # argparse reports a bad option by exiting
        pytest.fail(f"README command does not parse: {command} (exit {error.code})")


def test_the_empty_file_message_quoted_in_the_readme_is_the_real_one(tmp_path):
    import subprocess
    import sys

    empty = tmp_path / "FILE"
    empty.write_text("", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "framing", "score", str(empty)], capture_output=True, text=True,
                            timeout=600)
    message = result.stderr.strip().replace(str(empty), "FILE")
    assert result.returncode == 3 and message
    assert f"`{message}`" in readme_examples.README.read_text(encoding="utf-8"), message
