"""framing — explainable, retrainable scoring of how news articles frame a story.

Scores every sentence of an article for loaded wording, hedging, attribution
(named, anonymous or no source), the stance toward each mentioned actor, slant and the policy frames
(one binary head per frame, read together as the article's frame profile), with one linear classifier per
task over hand-written lexicons, patterns and word and character n-grams, and reports the evidence behind
each score.

>>> import framing
>>> model = framing.load()
>>> model.tasks  # doctest: +NORMALIZE_WHITESPACE
('loaded', 'hedged', 'attribution', 'stance_russia', 'stance_ukraine', 'stance_us', 'stance_europe', 'slant',
 'frame_economic', 'frame_capacity_and_resources', 'frame_morality', 'frame_fairness_and_equality',
 'frame_legality_constitutionality_jurisprudence', 'frame_policy_prescription_and_evaluation',
 'frame_crime_and_punishment', 'frame_security_and_defense', 'frame_health_and_safety', 'frame_quality_of_life',
 'frame_cultural_identity', 'frame_public_opinion', 'frame_political', 'frame_external_regulation_and_reputation')
>>> report = model.score("The corrupt regime reportedly rejected the plan, analysts say.")
>>> 0.0 <= report.rates["loaded"] <= 1.0
True
"""

from ._version import __version__

__all__ = [
    "__version__",
    # scoring and training
    "load",
    "train",
    "train_recipe",
    "evaluate",
    "segment",
    "Model",
    "FramingClassifier",
    "TrainingConfig",
    "TaskHead",
    "TargetStanceClassifier",
    "STANCE_CLASSES",
    # what scoring returns
    "ArticleReport",
    "SentenceScore",
    "ScoredSentences",
    # labelled data and input
    "LabeledSentence",
    "Schema",
    "TaskSpec",
    "PolarSpec",
    "FrameSet",
    "Span",
    "Corpus",
    "read_corpus",
    "validate_corpus",
    "read_table",
    "read_article",
    "EvaluationResult",
    # features and lexicons
    "StanceFeatures",
    "TargetFeatures",
    "load_axis",
    "Lexicon",
    "LexiconEntry",
    "load_lexicon",
    # errors
    "FramingError",
    "UnknownTaskError",
    "UnknownFrameError",
    "CorpusError",
    "ArticleConflictError",
    "ModelFormatError",
    # Dask scale-out
    "score_partition",
    "score_bag",
    "score_dataframe",
]

# Public names and the subpackage that defines each. They are imported on
# first use so that ``import framing`` (and ``framing --help``) stays cheap.
_LAZY = {
    "load": ".model",
    "train": ".model",
    "train_recipe": ".model",
    "Model": ".model",
    "TrainingConfig": ".model",
    "FramingClassifier": ".model",
    "TaskHead": ".model",
    "TargetStanceClassifier": ".model",
    "STANCE_CLASSES": ".model",
    "ModelFormatError": ".model",
    "evaluate": ".evaluation",
    "EvaluationResult": ".evaluation",
    "segment": ".text",
    "ArticleReport": ".report",
    "SentenceScore": ".report",
    "ScoredSentences": ".report",
    "LabeledSentence": ".data",
    "Schema": ".data",
    "TaskSpec": ".data",
    "PolarSpec": ".data",
    "FrameSet": ".data",
    "Span": ".data",
    "Corpus": ".data",
    "read_corpus": ".data",
    "validate_corpus": ".data",
    "read_table": ".data",
    "read_article": ".data",
    "CorpusError": ".data",
    "ArticleConflictError": ".data",
    "StanceFeatures": ".features",
    "TargetFeatures": ".features",
    "load_axis": ".features",
    "Lexicon": ".lexicon",
    "LexiconEntry": ".lexicon",
    "load_lexicon": ".lexicon",
    "FramingError": ".errors",
    "UnknownTaskError": ".errors",
    "UnknownFrameError": ".errors",
    # Dask scale-out; dask and pandas are imported only when these are called.
    "score_partition": ".parallel",
    "score_bag": ".parallel",
    "score_dataframe": ".parallel",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'framing' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
