"""framing — explainable, retrainable scoring of how news articles frame a story.

Scores every sentence of an article for loaded wording, hedging, attribution
(named, anonymous or no source), slant and the dominant policy frame, with
one linear classifier per task over hand-written lexicons, patterns and word
and character n-grams, and reports the evidence behind each score.

>>> import framing
>>> model = framing.load()
>>> model.tasks  # doctest: +NORMALIZE_WHITESPACE
('loaded', 'hedged', 'attribution', 'stance_russia', 'stance_ukraine', 'stance_us', 'stance_europe', 'slant',
 'frame')
>>> report = model.score("The corrupt regime reportedly rejected the plan, analysts say.")
>>> 0.0 <= report.rates["loaded"] <= 1.0
True
"""

from ._version import __version__

__all__ = [
    "__version__",
    "load",
    "train",
    "evaluate",
    "segment",
    "Model",
    "FramingClassifier",
    "TrainingConfig",
    "TaskHead",
    "ScoredSentences",
    "LabeledSentence",
    "Schema",
    "TaskSpec",
    "PolarSpec",
    "Span",
    "Corpus",
    "ArticleReport",
    "SentenceScore",
    "read_corpus",
    "validate_corpus",
    "EvaluationResult",
    "FramingError",
    "UnknownTaskError",
    "CorpusError",
    "ArticleConflictError",
    "ModelFormatError",
    "Lexicon",
    "LexiconEntry",
    "load_lexicon",
    "score_partition",
    "score_bag",
    "score_dataframe",
]

# Public names and the private module that defines each. They are imported on
# first use so that ``import framing`` (and ``framing --help``) stays cheap.
_LAZY = {
    "load": "._model",
    "ModelFormatError": "._persist",
    "train": "._model",
    "Model": "._model",
    "TrainingConfig": "._model",
    "FramingClassifier": "._estimator",
    "TaskHead": "._estimator",
    "ScoredSentences": "._scoring",
    "evaluate": "._evaluate",
    "EvaluationResult": "._evaluate",
    "FramingError": "._errors",
    "UnknownTaskError": "._errors",
    "segment": ".text",
    "LabeledSentence": ".corpus",
    "Schema": ".corpus",
    "TaskSpec": ".corpus",
    "PolarSpec": ".corpus",
    "Span": ".corpus",
    "Corpus": ".corpus",
    "ArticleConflictError": ".corpus",
    "read_corpus": ".corpus",
    "validate_corpus": ".corpus",
    "CorpusError": ".corpus",
    "ArticleReport": "._report",
    "SentenceScore": "._report",
    "Lexicon": "._lexicon",
    "load_lexicon": "._lexicon",
    "LexiconEntry": "._lexicon",
    # Dask scale-out; dask and pandas are imported only when these are called.
    "score_partition": "._distributed",
    "score_bag": "._distributed",
    "score_dataframe": "._distributed",
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
