"""The scikit-learn internals framing relies on, imported in one place.

scikit-learn does not promise these names across releases; keeping every such
import here means a release that moves one breaks one module, visibly, and the
minimum version in ``pyproject.toml`` is checked against one list.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

__all__ = ["_fit_context", "HasMethods", "Interval", "StrOptions", "output_config"]


def output_config(estimator) -> dict:
    """The ``set_output`` configuration an estimator carries (empty when it was never set)."""
    return getattr(estimator, "_sklearn_output_config", None) or {}
