"""The sentence feature transformers (scikit-learn), public.

Every transformer takes a list of sentence strings (or objects with a
``text`` attribute, such as :class:`framing.LabeledSentence`) and returns a
sparse matrix with readable feature names. :func:`make_features` builds the
default union that :func:`framing.train` and :class:`framing.FramingClassifier` use.
"""

from ._features import *  # noqa: F403 -- the public names, listed once in _features.__all__
from ._features import __all__  # noqa: F401
