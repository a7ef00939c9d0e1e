"""The sentence feature transformers (scikit-learn), public.

Every transformer takes a list of sentence strings (or objects with a
``text`` attribute, such as :class:`framing.LabeledSentence`) and returns a
sparse matrix with readable feature names. :func:`make_features` builds the
default union that :func:`framing.train` and :class:`framing.FramingClassifier` use;
:class:`StanceFeatures` adds the stance block of an axis. :class:`TargetFeatures` are the features of one
actor mention (the stance toward it), and :class:`MentionFinder` the mentions an article's report scores.
"""

from ._analysis import Analysis, analyze, shared_analysis, texts_of
from ._base import StringInputMixin, check_ngram_range
from ._lexicon_block import LexiconFeatures
from ._mentions import Candidate, MentionFinder, capitalised_runs
from ._ngrams import CharNgrams, WordNgrams
from ._patterns import AttributionFeatures, HedgeFeatures, ShapeFeatures
from ._stance import Axis, AxisError, StanceFeatures, axis_mentions, load_axis
from ._target import Mention, TargetFeatures
from ._union import make_features, transform_in_batches, transform_union
from ._voice import VoiceFeatures

__all__ = [
    "Analysis",
    "analyze",
    "LexiconFeatures",
    "AttributionFeatures",
    "HedgeFeatures",
    "ShapeFeatures",
    "WordNgrams",
    "CharNgrams",
    "StanceFeatures",
    "VoiceFeatures",
    "make_features",
    "texts_of",
    "StringInputMixin",
    "transform_in_batches",
    "transform_union",
    "shared_analysis",
    "check_ngram_range",
    "Axis",
    "AxisError",
    "load_axis",
    "axis_mentions",
    "TargetFeatures",
    "Mention",
    "MentionFinder",
    "Candidate",
    "capitalised_runs",
]
