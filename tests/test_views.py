"""One rule for what is a finding, in every view (issue 23, item 1).

Every view a user reads (``ArticleReport.summary()``, ``framing score`` as text,
``--json`` and ``--html``, ``framing compare`` as text, ``--json`` and ``--html``,
``framing profile`` as text, ``--json`` and ``--html``) is walked twice:

* with the bundled model whose evaluation is rewritten so that ``loaded`` (a
  binary task) and ``attribution`` (a multiclass task) are unreliable and every
  other task reliable: no view may show their numbers as findings, and each
  shows the "not reliable" note;
* with an article that mentions no actor of the Russia-Ukraine axis (a UK rail
  strike) and the slant task measured reliable: no view may show its slant,
  and each says the axis does not apply.

The same walk with every task reliable and an article that mentions both sides
must show those numbers (the positive control: the checks can fail).
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

import pytest

import framing
from framing.cli import _compare, _score
from framing.cli._main import main
from framing.report._reliability import DOES_NOT_APPLY, FINDING, assess

REPO = Path(__file__).resolve().parents[1]
WAR = sorted((REPO / "labeled" / "articles").glob("*.txt"))[0].read_text(encoding="utf-8")
RAIL = ("Rail workers across Britain walked out on Monday in a dispute over pay and conditions. "
        "The RMT union said the strike would continue until the operators made a better offer. "
        "Commuters in London and Manchester faced long delays, and some services were cancelled. "
        "Network Rail urged passengers to check before they travel.")
UNRELIABLE = ("loaded", "attribution")


def _with_evaluation(model, unreliable):
    changed = copy.copy(model)
    tasks = {task: assess([{"protocol": f"held out ({task})", "roc_auc": 0.52 if task in unreliable else 0.9,
                            "macro_f1": 0.4, "n": 9}]) for task in model.tasks}
    changed.metadata = {**model.metadata, "evaluation": {"tasks": tasks}}
    return changed


@pytest.fixture(scope="module")
def bundled():
    return framing.load()


def _visible(page: str) -> str:
    """The page's text (SVG labels and score panels included), tags dropped, white space collapsed."""
    text = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    text = re.sub(r"<wbr>", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+:", ":", re.sub(r"\s+", " ", html.unescape(text)))


def _walk(model, texts, tmp_path, monkeypatch, capsys) -> dict[str, str]:
    """Every view of ``texts`` scored by ``model``: ``{view name: what the user reads}``."""
    for module in (_score, _compare):
        monkeypatch.setattr(module, "load_model", lambda path: model)
    monkeypatch.chdir(tmp_path)  # short relative paths: the ids, and so the profile's group names
    files = []
    for number, text in enumerate(texts):
        path = tmp_path / f"article_{number}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path.name)
    views: dict[str, str] = {"summary": "\n".join(model.score(text).summary() for text in texts)}

    def run(*argv):
        capsys.readouterr()
        assert main(list(argv)) == 0, argv
        return capsys.readouterr().out

    views["score text"] = run("score", *files)
    views["score --json"] = run("score", "--json", *files)
    run("score", *files, "--html", str(tmp_path / "score.html"))
    views["score HTML"] = (tmp_path / "score.html").read_text(encoding="utf-8")
    views["compare text"] = run("compare", *files)
    views["compare --json"] = run("compare", "--json", *files)
    run("compare", *files, "--html", str(tmp_path / "compare.html"))
    views["compare HTML"] = (tmp_path / "compare.html").read_text(encoding="utf-8")
    scores = tmp_path / "scores.jsonl"
    scores.write_text(views["score --json"], encoding="utf-8")
    views["profile text"] = run("profile", "--input", str(scores), "--by", "id")
    views["profile --json"] = run("profile", "--input", str(scores), "--by", "id", "--json")
    run("profile", "--input", str(scores), "--by", "id", "--html", str(tmp_path / "profile.html"))
    views["profile HTML"] = (tmp_path / "profile.html").read_text(encoding="utf-8")
    return views


NUMBER = r"\s*[-+]?\d\.\d\d"


def _text_of(view: str) -> str:
    return _visible(view) if view.lstrip().startswith("<!DOCTYPE") else view


def _rate_findings(view: str, task: str, profile: bool = False) -> list[str]:
    """Places where ``task``'s rate appears as a number (text, table cells, chart labels, score panels).

    A profile table has a column per task shown, so there the column header is the finding.
    """
    patterns = [rf"\b{task} rate{NUMBER}", rf"\b{task}\s+(true|false)\s+p=", rf"\b{task}=true evidence"]
    if profile:
        patterns.append(rf"\b{task} rate\b")
    return [m.group(0) for pattern in patterns for m in re.finditer(pattern, _text_of(view))]


def _mix_findings(view: str, task: str, classes, profile: bool = False) -> list[str]:
    names = "|".join(map(re.escape, classes))
    patterns = [rf"\b{task}:?\s+({names}){NUMBER}", rf"\b{task}:\s+({names})\s+\d\.\d\d", rf"\b{task}\s+({names})\s+p="]
    if profile:
        patterns += [rf"\b{task} \(", rf"\b({names})\s+\d\.\d\d"]
    return [m.group(0) for pattern in patterns for m in re.finditer(pattern, _text_of(view))]


def _slant_findings(view: str) -> list[str]:
    shaded = []
    if view.lstrip().startswith("<!DOCTYPE"):
        shaded = re.findall(r'class="s[^"]*\blean-(?:pos|neg)\b', view) + re.findall(r"sentence leans", view)
    patterns = [rf"slant index{NUMBER}", r"\bslant\s+(pro_russia|neutral|pro_ukraine)\s+p=", r"most slanted sentence",
                r"most pro_(russia|ukraine) sentence",
                # a profile's group row (table) and its point in the forest plot
                rf"article_\d+\.txt\s+1\s+{NUMBER}", rf"\(n=1\){NUMBER}"]
    return shaded + [m.group(0) for pattern in patterns for m in re.finditer(pattern, _text_of(view))]


def _json_articles(name: str, view: str) -> list[dict]:
    if name == "score --json":
        return [json.loads(line) for line in view.splitlines() if line.strip()]
    if name == "compare --json":
        return json.loads(view)["articles"]
    return json.loads(view)["groups"]


def test_no_view_shows_an_unreliable_task_as_a_finding(bundled, tmp_path, monkeypatch, capsys):
    model = _with_evaluation(bundled, UNRELIABLE)
    classes = [str(c) for c in model.classes("attribution")]
    views = _walk(model, [WAR], tmp_path, monkeypatch, capsys)
    for name, view in views.items():
        if "--json" in name:
            for article in _json_articles(name, view):
                if name == "profile --json":
                    continue
                assert article["status"]["loaded"].startswith("not reliable (measured ROC AUC 0.520"), name
                assert article["status"]["attribution"].startswith("not reliable"), name
                assert article["status"]["hedged"] == FINDING, name
                # The numbers stay, with their status next to them.
                assert isinstance(article["rates"]["loaded"], float), name
            if name == "profile --json":
                data = json.loads(view)
                assert data["status"]["loaded"].startswith("not reliable") and data["status"]["hedged"] == FINDING
            continue
        profile = name.startswith("profile")
        assert not _rate_findings(view, "loaded", profile), (name, _rate_findings(view, "loaded", profile))
        assert not _mix_findings(view, "attribution", classes, profile), name
        shown = _visible(view) if name.endswith("HTML") else view
        assert "loaded: not reliable (measured ROC AUC 0.520, held out (loaded))" in shown, name
        assert "attribution: not reliable (measured ROC AUC 0.520, held out (attribution))" in shown, name


def test_no_view_shows_the_slant_of_an_article_that_mentions_no_actor(bundled, tmp_path, monkeypatch, capsys):
    model = _with_evaluation(bundled, ())
    assert model.score(RAIL).slant_note, "the rail-strike article must mention no actor of the axis"
    views = _walk(model, [RAIL], tmp_path, monkeypatch, capsys)
    for name, view in views.items():
        if "--json" in name:
            for article in _json_articles(name, view):
                assert article["slant_status"] == DOES_NOT_APPLY, name
                if name != "profile --json":
                    assert article["status"]["slant"] == DOES_NOT_APPLY, name
            continue
        assert not _slant_findings(view), (name, _slant_findings(view))
        shown = _visible(view) if name.endswith("HTML") else view
        assert "does not apply" in shown, name
        assert "slant index: not reliable" not in shown and "slant index not reliable" not in shown, name


def test_positive_control_reliable_tasks_and_an_article_with_actors_are_shown(bundled, tmp_path, monkeypatch, capsys):
    """The checks above can fail: with every task reliable, the same views show the very numbers they look for."""
    model = _with_evaluation(bundled, ())
    classes = [str(c) for c in model.classes("attribution")]
    assert model.score(WAR).slant_note is None
    views = _walk(model, [WAR], tmp_path, monkeypatch, capsys)
    for name in ("summary", "score text", "compare text", "score HTML", "compare HTML", "profile text", "profile HTML"):
        assert _rate_findings(views[name], "loaded", name.startswith("profile")), name
        assert _mix_findings(views[name], "attribution", classes, name.startswith("profile")), name
        assert _slant_findings(views[name]), name
        assert "not reliable" not in views[name] and "does not apply" not in views[name], name
    assert json.loads(views["compare --json"])["articles"][0]["slant_status"] == FINDING
