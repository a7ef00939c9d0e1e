"""The model: one :class:`FramingClassifier` per task over a shared feature union, training, persistence.

:func:`train` fits a :class:`Model` from labelled sentences; :func:`train_recipe`
rebuilds one from a recipe (sources, weights, configuration); :func:`load`
reads a model folder (JSON plus ``.npz``, never pickle).
"""

from ._classifier import FramingClassifier, TaskHead, relative_coef, softmax
from ._model import Model, load
from ._persist import FORMAT_VERSION, ModelFormatError, read_model, save_model
from ._recipe import Recipe, RecipeError, load_recipe, train_recipe
from ._target import STANCE_CLASSES, TargetStanceClassifier, source_weights, target_training_items
from ._training import TrainingConfig, train

__all__ = [
    "Model",
    "FramingClassifier",
    "TaskHead",
    "TrainingConfig",
    "train",
    "load",
    "save_model",
    "read_model",
    "ModelFormatError",
    "FORMAT_VERSION",
    "Recipe",
    "RecipeError",
    "load_recipe",
    "train_recipe",
    "softmax",
    "relative_coef",
    "TargetStanceClassifier",
    "STANCE_CLASSES",
    "target_training_items",
    "source_weights",
]
