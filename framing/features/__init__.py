"""The sentence feature transformers (scikit-learn), public.

Every transformer takes a list of sentence strings (or objects with a
``text`` attribute, such as :class:`framing.LabeledSentence`) and returns a
sparse matrix with readable feature names. :func:`make_features` builds the
default union that :func:`framing.train` and :class:`framing.FramingClassifier` use;
:class:`StanceFeatures` adds the stance block of an axis.
"""

from ._features import (
    Analysis,
    AttributionFeatures,
    CharNgrams,
    HedgeFeatures,
    LexiconFeatures,
    ShapeFeatures,
    StringInputMixin,
    WordNgrams,
    analyze,
    make_features,
    shared_analysis,
    texts_of,
    transform_in_batches,
    transform_union,
)
from ._stance import Axis, AxisError, StanceFeatures, axis_mentions, load_axis

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
    "make_features",
    "texts_of",
    "StringInputMixin",
    "transform_in_batches",
    "transform_union",
    "shared_analysis",
    "Axis",
    "AxisError",
    "load_axis",
    "axis_mentions",
]
