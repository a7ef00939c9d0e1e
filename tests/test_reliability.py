"""A task the model's own evaluation found near chance is flagged, not printed as a finding."""
import copy

import pytest

from framing.report._html import compare_page, score_page
from framing.report._profile import compare_rows, format_compare
from framing.report._reliability import MIN_AUC, assess


def _with_evaluation(model, unreliable):
    flagged = copy.copy(model)
    tasks = {}
    for task in model.tasks:
        value = 0.52 if task in unreliable else 0.9
        tasks[task] = assess([{"protocol": f"train on A; test on B ({task})", "roc_auc": value, "macro_f1": 0.4, "n": 9}])
    flagged.metadata = {**model.metadata, "evaluation": {"tasks": tasks}}
    return flagged


TEXT = ("The corrupt regime reportedly rejected the plan, analysts say. Talks began on Monday in Geneva. "
        "Officials said the delegations would meet again.")


@pytest.fixture(scope="module")
def flagged(toy_model):
    binary = next(t for t in toy_model.tasks if toy_model.classes(t) == (False, True))
    multiclass = next(t for t in toy_model.tasks if toy_model.classes(t) != (False, True)
                      and t != (toy_model.schema.polarity.task if toy_model.schema.polarity else None))
    return _with_evaluation(toy_model, {binary, multiclass}), binary, multiclass


def test_the_rule_is_the_worst_held_out_auc():
    assert assess([{"protocol": "p", "roc_auc": MIN_AUC, "macro_f1": 0.5, "n": 1}])["reliable"]
    assert not assess([{"protocol": "p", "roc_auc": MIN_AUC - 0.01, "macro_f1": 0.5, "n": 1}])["reliable"]


def test_summary_says_not_reliable_with_the_measurement_instead_of_a_number(flagged):
    model, binary, multiclass = flagged
    report = model.score(TEXT)
    summary = report.summary()
    assert f"{binary}: not reliable (measured ROC AUC 0.520, train on A; test on B ({binary}))" in summary
    assert f"{binary} rate" not in summary
    assert f"{multiclass}: not reliable" in summary
    assert not report.is_reliable(binary) and report.to_dict()["reliability"][binary]["reliable"] is False


def test_compare_table_and_pages_leave_unreliable_tasks_out(flagged):
    model, binary, multiclass = flagged
    records = [model.score(TEXT).to_dict(), model.score("Talks began on Monday.").to_dict()]
    rows = dict(compare_rows(records))
    assert rows[f"{binary} rate"] == ["not reliable", "not reliable"]
    text = format_compare(["a", "b"], records)
    assert f"{binary}: not reliable (measured ROC AUC 0.520" in text
    html = compare_page([("a", TEXT, records[0]), ("b", "Talks began on Monday.", records[1])])
    assert "Not shown as findings" in html and f"<b>{binary}</b>" in html
    assert f"{binary} rate" not in html.split("<h2>Numbers</h2>")[0], "the chart leaves the unreliable rate out"
    assert "Not shown as findings" in score_page([("a", TEXT, records[0])])


def test_a_model_without_evaluation_shows_everything(toy_model):
    report = toy_model.score(TEXT)
    assert report.reliability == {} and "not reliable" not in report.summary()
