"""The README's examples, generated from the code and the bundled model so that they cannot drift.

Each generated block in README.md follows a marker line ``<!-- example: NAME -->``
and is the fenced code block right after it. ``tests/test_readme.py`` checks
every block against what the current code and bundled model print, and fails
with the exact diff. After retraining the default model (or changing an
output format), regenerate them with one command, from the repository root::

    python -m tests.readme_examples --update

``python -m tests.readme_examples`` (no option) prints the diff and exits 1
when the README is out of date.
"""

from __future__ import annotations

import contextlib
import difflib
import glob
import io
import json
import os
import pprint
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
MARKER = re.compile(r"^<!-- example: ([\w-]+) -->\n(```[^\n]*\n)(.*?)^```\n", re.MULTILINE | re.DOTALL)
UPDATE_COMMAND = "python -m tests.readme_examples --update"
WIDTH = 100  # terminal width the examples are rendered at (COLUMNS)


@contextlib.contextmanager
def _in_repo():
    previous, columns = os.getcwd(), os.environ.get("COLUMNS")
    os.chdir(REPO)
    os.environ["COLUMNS"] = str(WIDTH)
    try:
        yield
    finally:
        os.chdir(previous)
        if columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = columns


def framing_cli(*args: str) -> str:
    """Run ``framing ARGS`` in this process from the repository root: stdout and stderr as one text."""
    from framing import cli

    buffer = io.StringIO()
    with _in_repo(), contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        expanded = [match for arg in args for match in (sorted(glob.glob(arg)) if "*" in arg else [arg])]
        code = cli.main(expanded)
    if code != 0:
        raise RuntimeError(f"framing {' '.join(args)} exited {code}:\n{buffer.getvalue()}")
    return buffer.getvalue()


def _sections(text: str) -> list[str]:
    return [part for part in text.split("\n\n") if part.strip()]


def example_compare() -> str:
    out = framing_cli("compare", "labeled/articles/*.txt")
    table = out.split("\n\n", 1)[0].splitlines()
    sections = _sections(out)
    first = next(s for s in sections if s.startswith("bankingnews.gr\n"))
    last = next(s for s in sections if s.startswith("003_"))
    return "\n".join(table[:9] + ["..."]) + "\n" + first + "\n...\n" + last + "\n"


def example_score() -> str:
    path = "labeled/articles/004_9f83161d9fd89aa0.txt"
    return f"$ framing score {path}\n" + framing_cli("score", path)


def example_profile() -> str:
    from framing.data import read_corpus

    corpus = read_corpus(REPO / "labeled")
    with tempfile.TemporaryDirectory() as folder:
        articles, scores = os.path.join(folder, "articles.jsonl"), os.path.join(folder, "scores.jsonl")
        with open(articles, "w", encoding="utf-8") as handle:
            for article in corpus.articles.values():
                outlet = article.outlet if article.outlet != "unknown" else f"unknown-{article.id[:3]}"
                record = {"id": article.id, "text": corpus.texts[article.id], "outlet": outlet}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        scored = framing_cli("score", "--input", articles, "--output", scores, "--no-sentences", "--quiet")
        profile = framing_cli("profile", "--input", scores)
    scored = scored.replace(scores, "scores.jsonl")
    return ("$ framing score --input articles.jsonl --output scores.jsonl --no-sentences\n" + scored
            + "$ framing profile --input scores.jsonl\n" + profile)


API_SESSION = '''\
import framing
model = framing.load()
sentences = ["The corrupt Kyiv regime reportedly rejected the plan, analysts say.", "The delegations met in Florida on Sunday."]
>>> model.tasks
>>> model.classes("attribution")
>>> model.classes("loaded")
>>> model.predict(sentences, "attribution")
>>> model.predict_proba(sentences, "loaded").round(3)
explained = model.explain(sentences[0], "hedged", evidence=4)
>>> explained["class"], round(explained["probabilities"]["true"], 3)
>>> [(name, round(value, 3)) for name, value in explained["features"]]
'''


def _shown(value) -> str:
    # Exactly what the interpreter shows (pretty-printed, never rounded behind the reader's back).
    return pprint.pformat(value, width=WIDTH, sort_dicts=False)


def example_api() -> str:
    """A Python session: plain lines are run, ``>>>`` lines are shown with their value, unrounded."""
    namespace: dict = {}
    lines = []
    with _in_repo():
        for line in API_SESSION.splitlines():
            if line.startswith(">>> "):
                expression = line[4:]
                lines.append(line)
                lines.append(_shown(eval(expression, namespace)))  # noqa: S307 - our own fixed session
            else:
                exec(line, namespace)  # noqa: S102 - our own fixed session
                lines.append(f">>> {line}")
    return "\n".join(lines) + "\n"


EXAMPLES: dict[str, Callable[[], str]] = {
    "compare": example_compare,
    "score": example_score,
    "api": example_api,
    "profile": example_profile,
}


def render(readme: str | None = None) -> tuple[str, str]:
    """(current README, README with every example block regenerated)."""
    text = README.read_text(encoding="utf-8") if readme is None else readme
    names = MARKER.findall(text)
    unknown = sorted({name for name, _, _ in names} - set(EXAMPLES))
    if unknown:
        raise KeyError(f"README.md has example markers without a generator: {unknown}; known: {sorted(EXAMPLES)}")
    cache: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        name, fence = match.group(1), match.group(2)
        if name not in cache:
            cache[name] = EXAMPLES[name]()
        return f"<!-- example: {name} -->\n{fence}{cache[name]}```\n"

    return text, MARKER.sub(replace, text)


def diff(current: str, generated: str) -> str:
    return "".join(difflib.unified_diff(current.splitlines(True), generated.splitlines(True),
                                        "README.md (committed)", "README.md (generated from the code and bundled model)"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    current, generated = render()
    if current == generated:
        print("README.md examples are up to date")
        return 0
    if "--update" in argv:
        README.write_text(generated, encoding="utf-8")
        print(f"updated {README}")
        return 0
    sys.stdout.write(diff(current, generated))
    print(f"\nREADME.md examples are out of date; regenerate them with: {UPDATE_COMMAND}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
