"""The scikit-learn internals framing relies on, imported in one place.

scikit-learn does not promise these names across releases; keeping every such
import here means a release that moves one breaks one module, visibly, and the
minimum version in ``pyproject.toml`` is checked against one list.

The minimum is scikit-learn 1.6 (``MINIMUM_SKLEARN``): ``sklearn.frozen.FrozenEstimator``
and the ``__sklearn_tags__`` tags API (``input_tags.string``) first appear there.
Behaviour that differs between supported releases is bridged here too
(:func:`multiclass_brier`).
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

__all__ = ["_fit_context", "HasMethods", "Interval", "StrOptions", "output_config", "multiclass_brier", "MINIMUM_SKLEARN"]

#: The oldest scikit-learn framing supports (``pyproject.toml`` says the same).
MINIMUM_SKLEARN = "1.6"


def output_config(estimator) -> dict:
    """The ``set_output`` configuration an estimator carries (empty when it was never set)."""
    return getattr(estimator, "_sklearn_output_config", None) or {}


def multiclass_brier(y_true, probabilities, n_classes: int) -> float:
    """Multi-class Brier score ``mean(sum_k (p_k - y_k)^2)`` (unscaled); scikit-learn's from 1.7, numpy's before.

    Examples
    --------
    >>> multiclass_brier([0, 1], [[1.0, 0.0], [0.5, 0.5]], 2)
    0.25
    """
    import numpy as np
    from sklearn.metrics import brier_score_loss

    try:
        return float(brier_score_loss(y_true, probabilities, labels=list(range(n_classes)), scale_by_half=False))
    except TypeError:  # scikit-learn < 1.7 has no multi-class Brier score
        onehot = np.eye(n_classes)[np.asarray(y_true)]
        return float(np.mean(np.sum((np.asarray(probabilities) - onehot) ** 2, axis=1)))
