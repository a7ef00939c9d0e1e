"""What :func:`framing.evaluate` returns: per-task scores of every system, and their table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .._version import __version__
from ._metrics import SystemScores, _round

__all__ = ["MODEL", "TaskEvaluation", "EvaluationResult"]

#: The name of the evaluated system in every table.
MODEL = "model"


@dataclass
class TaskEvaluation:
    """Evaluation of one task.

    Attributes
    ----------
    name : str
    classes : list of str
        Class keys in schema order (``"false"``/``"true"`` for binary tasks).
    n_sentences : int
        Evaluated sentences: held-out, non-boilerplate and labelled for this task.
    support : dict
        Gold sentences per class.
    systems : dict
        ``{"model" | baseline: SystemScores}``.
    learning_curve : list of dict
        ``{"fraction", "n_train", "model", "tfidf"}``: mean training-set size
        and pooled macro-F1 per system (``tfidf`` only when that baseline runs).
    articles : dict or None
        Article-level results when the corpus has article labels for the
        task: ``{"method", "n_articles", "systems": {name: {"accuracy",
        "macro_f1"}}, "items": [{"article", "gold", "n_sentences",
        "predicted": {system: class}, "index": float or None}]}``.
    """

    name: str
    classes: list[str]
    n_sentences: int
    support: dict[str, int]
    systems: dict[str, SystemScores]
    learning_curve: list[dict[str, Any]] = field(default_factory=list)
    articles: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "classes": self.classes,
            "n_sentences": self.n_sentences,
            "support": self.support,
            "systems": {name: scores.to_dict() for name, scores in self.systems.items()},
            "learning_curve": [
                {k: (_round(v) if isinstance(v, float) else v) for k, v in point.items()} for point in self.learning_curve
            ],
            "articles": self.articles,
        }


@dataclass
class EvaluationResult:
    """Cross-validated scores of the framing recipe and its baselines.

    Attributes
    ----------
    tasks : dict
        ``{task: TaskEvaluation}`` in schema order.
    systems : list of str
        ``["model", *baselines]``.
    group_by : str or None
        ``"article"``, ``"source"`` or None (sentence-level stratified folds).
    splitter : str
        How folds were made, e.g. ``"LeaveOneGroupOut"``, ``"GroupKFold(n_splits=5)"``.
    folds : list of dict
        Per fold: ``n_train``, ``n_test`` (evaluated sentences), ``test_groups``.
    n_sentences, n_boilerplate, n_groups : int
        Evaluated sentences, boilerplate sentences excluded, distinct groups.
    corpus : str or None
        Corpus folder, when given as a path or Corpus.
    config : dict
        The :class:`TrainingConfig` of the model.
    bootstrap : dict
        ``{"n_resamples", "method", "unit", "confidence_level", "random_state"}``.
    random_state : int
    seconds : float
        Wall time of the evaluation.
    notes : list of str
        Caveats worth printing (few groups, skipped steps).
    predictions : dict
        Not serialised: ``{task: {"index", "y_true", "proba": {system: array}}}``
        with ``index`` the position of each evaluated sentence in the input.
    """

    tasks: dict[str, TaskEvaluation]
    systems: list[str]
    group_by: str | None
    splitter: str
    folds: list[dict[str, Any]]
    n_sentences: int
    n_boilerplate: int
    n_groups: int
    corpus: str | None
    config: dict[str, Any]
    bootstrap: dict[str, Any]
    random_state: int
    seconds: float
    notes: list[str] = field(default_factory=list)
    predictions: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dictionary of everything but the raw predictions.

        Top-level keys: ``framing_version``, ``corpus``, ``group_by``,
        ``splitter``, ``n_folds``, ``folds``, ``n_sentences``,
        ``n_boilerplate``, ``n_groups``, ``systems``, ``bootstrap``,
        ``config``, ``random_state``, ``seconds``, ``notes``, ``summary``
        (``{task: {system: macro_f1}}``) and ``tasks`` (``{task:
        TaskEvaluation.to_dict()}``; see :class:`TaskEvaluation` and
        :class:`SystemScores` for their fields). Binary classes appear as
        ``"false"``/``"true"``; non-finite numbers as ``null``.
        """
        return {
            "framing_version": __version__,
            "corpus": self.corpus,
            "group_by": self.group_by,
            "splitter": self.splitter,
            "n_folds": len(self.folds),
            "folds": self.folds,
            "n_sentences": self.n_sentences,
            "n_boilerplate": self.n_boilerplate,
            "n_groups": self.n_groups,
            "systems": list(self.systems),
            "bootstrap": self.bootstrap,
            "config": self.config,
            "random_state": self.random_state,
            "seconds": round(self.seconds, 3),
            "notes": list(self.notes),
            "summary": {task: {name: _round(scores.macro_f1) for name, scores in evaluation.systems.items()}
                        for task, evaluation in self.tasks.items()},
            "tasks": {name: evaluation.to_dict() for name, evaluation in self.tasks.items()},
        }

    def format_table(self, details: bool = True) -> str:
        """A readable terminal table: per task, macro-F1 with 95% CI of the model and baselines, then details."""
        lines = []
        grouping = {"article": "article", "source": "outlet", None: "sentence (stratified)"}.get(self.group_by, str(self.group_by))
        lines.append(
            f"{self.n_sentences} sentences evaluated ({self.n_boilerplate} boilerplate excluded), "
            f"{self.n_groups} groups by {grouping}; {self.splitter}, {len(self.folds)} folds"
        )
        n_resamples = self.bootstrap.get("n_resamples", 0)
        ci_note = f"95% CI: percentile bootstrap over sentences, {n_resamples} resamples" if n_resamples else "no CI"
        lines.append(f"macro-F1 of out-of-fold predictions ({ci_note})")
        lines.append("")
        width = max([4] + [len(t) for t in self.tasks])
        cell = 19
        header = "task".ljust(width) + "  " + "".join(name.ljust(cell) for name in self.systems) + "n"
        lines.append(header)
        lines.append("-" * len(header))
        for task, evaluation in self.tasks.items():
            row = task.ljust(width) + "  "
            for name in self.systems:
                scores = evaluation.systems.get(name)
                row += (_format_score(scores) if scores else "-").ljust(cell)
            lines.append(row + str(evaluation.n_sentences))
        if not details:
            return "\n".join(lines)
        for task, evaluation in self.tasks.items():
            lines += ["", f"== {task} " + "=" * max(0, 60 - len(task))]
            model = evaluation.systems[MODEL]
            lines.append("class".ljust(42) + "support  precision  recall  f1")
            for cls in evaluation.classes:
                m = model.per_class[cls]
                lines.append(f"{cls[:40]:<42}{m['support']:>7}  {m['precision']:>9.3f}  {m['recall']:>6.3f}  {m['f1']:.3f}")
            lines.append("confusion (rows gold, columns predicted, class order above):")
            for cls, row in zip(evaluation.classes, model.confusion_matrix):
                lines.append(f"  {cls[:24]:<26}" + " ".join(f"{v:>5}" for v in row))
            calibration = ", ".join(
                f"{name} {scores.brier:.3f}/{scores.ece:.3f}" for name, scores in evaluation.systems.items()
                if math.isfinite(scores.brier)
            )
            lines.append(f"calibration Brier/ECE: {calibration}")
            gains = [
                f"vs {name} {scores.model_gain['macro_f1']:+.3f}" + (
                    f" [{scores.model_gain['ci'][0]:+.3f}, {scores.model_gain['ci'][1]:+.3f}]" if scores.model_gain.get("ci") else "")
                for name, scores in evaluation.systems.items() if scores.model_gain
            ]
            if gains:
                lines.append("model gain in macro-F1 (paired bootstrap): " + "; ".join(gains))
            if len(model.fold_macro_f1) > 1:
                lines.append("model macro-F1 per fold: " + " ".join(f"{v:.2f}" for v in model.fold_macro_f1))
            if evaluation.learning_curve:
                points = []
                for point in evaluation.learning_curve:
                    text = f"{point['n_train']:.0f}: {_fmt(point.get(MODEL))}"
                    if "tfidf" in point:
                        text += f" (tfidf {_fmt(point['tfidf'])})"
                    points.append(text)
                lines.append("learning curve (training sentences: model macro-F1): " + ", ".join(points))
            if evaluation.articles:
                articles = evaluation.articles
                scores = ", ".join(
                    f"{name} {s['accuracy']:.2f}" for name, s in articles["systems"].items() if s.get("accuracy") is not None
                )
                lines.append(f"article level ({articles['n_articles']} articles, {articles['method']}): accuracy {scores}")
                for item in articles["items"][:20]:
                    index = f", index {item['index']:+.2f}" if item.get("index") is not None else ""
                    lines.append(f"  {item['article'][:40]:<42}gold {item['gold']:<14} model {item['predicted'].get(MODEL)}{index}")
        if self.notes:
            lines += ["", *[f"note: {note}" for note in self.notes]]
        return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:.3f}"


def _format_score(scores: SystemScores) -> str:
    if not math.isfinite(scores.macro_f1):
        return "-"
    if scores.macro_f1_ci:
        return f"{scores.macro_f1:.3f} [{scores.macro_f1_ci[0]:.2f},{scores.macro_f1_ci[1]:.2f}]"
    return f"{scores.macro_f1:.3f}"

