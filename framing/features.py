"""The sentence feature transformers (scikit-learn), public.

Every transformer takes a list of sentence strings (or objects with a
``text`` attribute, such as :class:`framing.LabeledSentence`) and returns a
sparse matrix with readable feature names. :func:`make_features` builds the
default union that :func:`framing.train` and :class:`framing.FramingClassifier` use.
"""

from ._features import (
    AttributionFeatures,
    CharNgrams,
    HedgeFeatures,
    LexiconFeatures,
    ShapeFeatures,
    WordNgrams,
    analyze,
    make_features,
    texts_of,
)

__all__ = [
    "LexiconFeatures",
    "AttributionFeatures",
    "HedgeFeatures",
    "ShapeFeatures",
    "WordNgrams",
    "CharNgrams",
    "make_features",
    "analyze",
    "texts_of",
]
