"""Training recipes as data: the file format, its checks and its digest.

A recipe is a JSON file kept in the repository (the default model's is
``models/recipe-default.json``). It names every labelled source (see
:mod:`framing.datasets`), the SHA-256 of each file the source reads, a weight
per (source, task), extra word lists for the lexicon and the training
configuration. An optional ``tasks`` list names the schema tasks the model
learns (in schema order; default: all of them); a source that reads one of the
project's label files gives its path as ``labels``, relative to the recipe.
Its ``config`` object takes exactly the fields of :class:`framing.TrainingConfig`; a field the file leaves out takes the value
in :data:`RECIPE_CONFIG_DEFAULTS` (the defaults of the recipe format, which
differ from ``TrainingConfig()`` where the default model needs it).

This module only reads and checks the file; :func:`framing.model.train_recipe`
turns a recipe into a training run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._util import read_json_file
from ..errors import FramingError
from ._schema import Schema, load_schema

__all__ = [
    "RECIPE_FORMAT",
    "RECIPE_VERSION",
    "RECIPE_CONFIG_DEFAULTS",
    "Recipe",
    "RecipeSource",
    "RecipeError",
    "load_recipe",
    "digest",
    "axis_file",
]

RECIPE_FORMAT = "framing-recipe"
RECIPE_VERSION = 1

#: The configuration a recipe gets for each field its ``config`` leaves out: one entry per field of
#: :class:`framing.TrainingConfig` (tests/test_training_core.py checks that the two name the same fields).
RECIPE_CONFIG_DEFAULTS: dict[str, Any] = {
    "C": 1.0,
    "word_ngram_range": [1, 2],
    "char_ngram_range": [3, 5],
    "word_min_df": 3,
    "char_min_df": 5,
    "word_max_features": None,
    "char_max_features": None,
    "harvest": True,
    "harvest_min_count": 3,
    "lexicon_weight": 1.0,
    "ngram_weight": 1.0,
    "calibration": "temperature",
    "calibration_folds": 3,
    "block_selection": False,
    "class_weight": "balanced",
    "max_iter": 2000,
    "boilerplate_negatives_every": 20,
    "boilerplate_negative_weight": 1.0,
    "task_blocks": {"attribution": "lexicon"},
}

#: The configuration fields of format version 1 as first published: the digest always covers them. A field added
#: later enters the digest only when a recipe sets it to something else than its default, so that the digest of an
#: existing recipe (recorded in the models it trained) does not change when the format learns a new field.
_DIGEST_FIELDS_V1 = ("C", "word_ngram_range", "char_ngram_range", "word_min_df", "char_min_df", "word_max_features",
                     "char_max_features", "harvest_min_count", "calibration", "calibration_folds", "block_selection",
                     "class_weight", "max_iter", "boilerplate_negatives_every", "boilerplate_negative_weight")


class RecipeError(FramingError, ValueError):
    """A recipe file that is malformed, or whose data does not match its recorded hashes."""


@dataclass(frozen=True)
class RecipeSource:
    """One source of a recipe: its name, folder, file hashes and per-task weights."""

    name: str
    weights: Mapping[str, float]
    path: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)
    #: The project label file the source reads (made relative to the recipe's folder), for the sources of
    #: :func:`framing.datasets.label_sources`; None otherwise.
    labels: str | None = None


@dataclass(frozen=True)
class Recipe:
    """A parsed recipe file (see the module docstring).

    ``config`` is complete: every field of :class:`framing.TrainingConfig`,
    as the file gives it or from :data:`RECIPE_CONFIG_DEFAULTS`. ``schema`` is
    the schema of the model the recipe trains: the corpus schema restricted to
    ``tasks`` when the file lists them (``tasks`` None: it does not, every task).
    """

    path: Path
    schema: Schema
    sources: tuple[RecipeSource, ...]
    config: Mapping[str, Any]
    evaluation: Mapping[str, Any] | None = None
    description: str = ""
    lexicons: tuple[Mapping[str, Any], ...] = ()
    axis: Mapping[str, Any] | None = None
    #: The target-stance classifier's training: ``{"sources": {name: weight}, "labels": path, "params": {...},
    #: "files": {relative path: sha256}}`` (see :data:`TARGET_STANCE_SOURCES`), or None for a model without one.
    target_stance: Mapping[str, Any] | None = None
    #: The file's ``tasks`` list (None when it has none: the model learns every task of the schema).
    tasks: tuple[str, ...] | None = None

    def digest(self) -> str:
        """SHA-256 of the recipe's content (sources, hashes, weights, configuration, schema, word lists)."""
        return digest(self)


def digest(recipe: Recipe) -> str:
    """SHA-256 of a recipe's content: what a model trained from it records as ``metadata["recipe"]["sha256"]``.

    Examples
    --------
    >>> schema = Schema.from_dict({"tasks": {"loaded": {"type": "binary", "classes": [False, True]}}})
    >>> recipe = Recipe(Path("r.json"), schema, (RecipeSource("seeds", {"loaded": 1.0}),), dict(RECIPE_CONFIG_DEFAULTS))
    >>> stronger = Recipe(Path("r.json"), schema, recipe.sources, {**RECIPE_CONFIG_DEFAULTS, "C": 0.5})
    >>> digest(recipe) == recipe.digest(), digest(recipe) == digest(stronger)
    (True, False)
    """
    config = {key: recipe.config[key] for key in _DIGEST_FIELDS_V1 if key in recipe.config}
    config.update({key: value for key, value in recipe.config.items()
                   if key not in _DIGEST_FIELDS_V1 and value != RECIPE_CONFIG_DEFAULTS.get(key)})
    document = {
        "sources": [{"name": s.name, "weights": dict(s.weights), "files": dict(s.files)} for s in recipe.sources],
        "config": config,
        "schema": recipe.schema.to_dict(),
        "lexicons": [dict(entry) for entry in recipe.lexicons],
    }
    if recipe.tasks is not None:  # only then: a recipe without the field keeps the digest its models record
        document["tasks"] = list(recipe.tasks)
    if recipe.target_stance is not None:
        stance = dict(recipe.target_stance)
        stance.pop("labels", None)  # a path: where the file is does not change the model, its hash does
        document["target_stance"] = stance
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode("utf-8")).hexdigest()


def axis_file(schema_file: str | Path) -> Path | None:
    """The axis file a ``schema.json`` names in its ``"axis"`` field (relative to the schema), or None.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "schema.json").write_text(json.dumps({"tasks": {}, "axis": "axis.json"}))
    >>> axis_file(folder / "schema.json") == folder / "axis.json"
    True
    """
    schema_file = Path(schema_file)
    document = read_json_file(schema_file, RecipeError, "schema file")
    name = document.get("axis") if isinstance(document, dict) else None
    return schema_file.parent / str(name) if name else None


def _fail(path: Path, field_name: str, value: Any, allowed: str) -> RecipeError:
    return RecipeError(f"{path}: field {field_name!r}: {value!r} is not allowed; allowed: {allowed}")


def load_recipe(path: str | Path) -> Recipe:
    """Read and check a recipe file.

    Parameters
    ----------
    path : str or path
        The recipe JSON. Relative paths inside it (the schema, the seed
        corpus) are relative to the recipe file's folder.

    Returns
    -------
    Recipe

    Raises
    ------
    RecipeError
        Naming the file, the field, the value and what is allowed.

    Examples
    --------
    >>> load_recipe("no-such-recipe.json")
    Traceback (most recent call last):
    ...
    framing.data._recipe.RecipeError: no-such-recipe.json: recipe file not found
    """
    # The source table (datasets), the axis reader (features) and the lexicon names sit in layers above data/:
    # imported here, when a recipe is read, so that importing framing.data stays free of them.
    from ..datasets import SOURCES, label_sources
    from ..features._stance import load_axis
    from ..lexicon._lexicon import LEXICON_NAMES

    path = Path(path)
    document = read_json_file(path, RecipeError, "recipe file")
    if not isinstance(document, dict) or document.get("format") != RECIPE_FORMAT:
        raise _fail(path, "format", document.get("format") if isinstance(document, dict) else document, repr(RECIPE_FORMAT))
    if document.get("format_version") != RECIPE_VERSION:
        raise _fail(path, "format_version", document.get("format_version"), str(RECIPE_VERSION))
    base = path.parent
    schema_path = base / str(document.get("schema", ""))
    if not schema_path.is_file():
        raise _fail(path, "schema", document.get("schema"), "a schema.json path relative to the recipe")
    schema = load_schema(schema_path)
    tasks = _tasks(path, document.get("tasks"), schema)
    if tasks is not None:
        schema = schema.restricted(tasks)
    axis_path = axis_file(schema_path)
    axis = None if axis_path is None else load_axis(axis_path)
    given = document.get("config", {})
    if not isinstance(given, dict):
        raise _fail(path, "config", given, "an object of training options")
    unknown = sorted(set(given) - set(RECIPE_CONFIG_DEFAULTS))
    if unknown:
        raise _fail(path, "config", unknown, f"keys among {sorted(RECIPE_CONFIG_DEFAULTS)}")
    config = {**RECIPE_CONFIG_DEFAULTS, **given}
    sources = []
    for index, entry in enumerate(document.get("sources", [])):
        where = f"sources[{index}]"
        name = entry.get("name") if isinstance(entry, dict) else None
        if name not in SOURCES:
            raise _fail(path, f"{where}.name", name, str(sorted(SOURCES)))
        weights = entry.get("weights", {})
        if not isinstance(weights, dict) or not weights:
            raise _fail(path, f"{where}.weights", weights, "a non-empty {task: weight} object")
        for task, weight in weights.items():
            if task not in schema.task_names:
                learned = "the recipe's tasks " if tasks is not None else ""
                raise _fail(path, f"{where}.weights", task, learned + str(list(schema.task_names)))
            if SOURCES[name].tasks and task not in SOURCES[name].tasks:
                raise _fail(path, f"{where}.weights", task, f"tasks that {name} labels: {list(SOURCES[name].tasks)}")
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
                raise _fail(path, f"{where}.weights.{task}", weight, "a number >= 0")
        source_path = entry.get("path")
        labels = entry.get("labels")
        if SOURCES[name].label_file is None and labels is not None:
            raise _fail(path, f"{where}.labels", labels, f"no 'labels' for {name}: only the sources {label_sources()} "
                                                         f"read a label file")
        if SOURCES[name].label_file is not None and not (isinstance(labels, str) and labels):
            raise _fail(path, f"{where}.labels", labels, f"the path of {name}'s label file, relative to the recipe "
                                                         f"(such as {SOURCES[name].label_file.name!r})")
        sources.append(RecipeSource(name=name, weights=dict(weights),
                                    path=str(base / source_path) if source_path else None,
                                    files=dict(entry.get("files", {})),
                                    labels=str(base / labels) if labels is not None else None))
    if not sources:
        raise _fail(path, "sources", document.get("sources"), "a non-empty list")
    names = [source.name for source in sources]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise _fail(path, "sources", repeated, "each source named once")
    lexicons = []
    for index, entry in enumerate(document.get("lexicons", [])):
        where = f"lexicons[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise _fail(path, f"{where}.file", entry, "a path relative to the data folder")
        if entry.get("lexicon") not in LEXICON_NAMES:
            raise _fail(path, f"{where}.lexicon", entry.get("lexicon"), str(list(LEXICON_NAMES)))
        if not isinstance(entry.get("category"), str) or not entry["category"]:
            raise _fail(path, f"{where}.category", entry.get("category"), "a non-empty category name")
        lexicons.append(dict(entry))
    return Recipe(path=path, schema=schema, sources=tuple(sources), config=config,
                  evaluation=document.get("evaluation"), description=str(document.get("description", "")),
                  lexicons=tuple(lexicons), axis=axis, target_stance=_target_stance(path, document.get("target_stance")),
                  tasks=tasks)


def _tasks(path: Path, value: Any, schema: Schema) -> tuple[str, ...] | None:
    """The recipe's ``tasks``, checked: known schema tasks, each once, in schema order (None when not given)."""
    if value is None:
        return None
    known = list(schema.task_names)
    if not isinstance(value, list) or not value or not all(isinstance(task, str) for task in value):
        raise _fail(path, "tasks", value, f"a non-empty list of schema tasks, in schema order: {known}")
    unknown = [task for task in value if task not in known]
    if unknown:
        raise _fail(path, "tasks", unknown, f"tasks of the schema: {known}")
    if len(set(value)) != len(value) or value != sorted(value, key=known.index):
        raise _fail(path, "tasks", value, f"each task once, in schema order: {[t for t in known if t in value]}")
    return tuple(value)


#: What trains a recipe's target-stance classifier: NewsMTSC's train split and the project's own target labels.
TARGET_STANCE_SOURCES = ("newsmtsc", "targets")


def _target_stance(path: Path, section: Any) -> dict[str, Any] | None:
    """The recipe's ``target_stance`` section, checked; ``labels`` made relative to the recipe's folder."""
    if section is None:
        return None
    if not isinstance(section, dict):
        raise _fail(path, "target_stance", section, "an object with 'sources', 'labels', 'params', 'files'")
    unknown = sorted(set(section) - {"sources", "labels", "params", "files"})
    if unknown:
        raise _fail(path, "target_stance", unknown, "keys among ['files', 'labels', 'params', 'sources']")
    sources = section.get("sources")
    if not isinstance(sources, dict) or not sources:
        raise _fail(path, "target_stance.sources", sources, f"a non-empty {{source: weight}} object, sources among "
                                                             f"{list(TARGET_STANCE_SOURCES)}")
    for name, weight in sources.items():
        if name not in TARGET_STANCE_SOURCES:
            raise _fail(path, "target_stance.sources", name, str(list(TARGET_STANCE_SOURCES)))
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
            raise _fail(path, f"target_stance.sources.{name}", weight, "a number >= 0")
    params = section.get("params", {})
    if not isinstance(params, dict):
        raise _fail(path, "target_stance.params", params, "an object of TargetStanceClassifier parameters")
    labels = section.get("labels")
    if "targets" in sources and not isinstance(labels, str):
        raise _fail(path, "target_stance.labels", labels, "the path of the target label file, relative to the recipe")
    files = section.get("files", {})
    if not isinstance(files, dict):
        raise _fail(path, "target_stance.files", files, "an object {relative path: sha256}")
    checked = {"sources": dict(sources), "params": dict(params), "files": dict(files)}
    if labels is not None:
        checked["labels"] = str(path.parent / labels)
    return checked
