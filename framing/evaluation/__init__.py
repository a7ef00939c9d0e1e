"""Honest evaluation: grouped cross-validation by article, metrics, and plain baselines on the same folds."""

from ._evaluate import (
    BASELINES,
    EvaluationResult,
    SystemScores,
    TaskEvaluation,
    classification_scores,
    evaluate,
    evaluate_holdout,
    expected_calibration_error,
    macro_f1,
    make_tfidf_pipeline,
)

__all__ = [
    "evaluate",
    "evaluate_holdout",
    "EvaluationResult",
    "TaskEvaluation",
    "SystemScores",
    "classification_scores",
    "macro_f1",
    "expected_calibration_error",
    "make_tfidf_pipeline",
    "BASELINES",
]
