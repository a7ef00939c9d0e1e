"""Training recipes: which labelled sources train which task, with what weight, and how.

A recipe is a JSON file kept in the repository (the default model's is
``models/recipe-default.json``). It names every source (see
:mod:`framing.datasets._sources`), the SHA-256 of each file the source reads, a weight
per (source, task) and the training configuration. :func:`train_recipe`
rebuilds a model from it; the same recipe, data and library versions give the
same model files byte for byte.

Each task learns from every source that labels it, weighted by the recipe:
the feature union (vocabularies, idf, harvested lexicon terms) is fitted once
on the union of the training sentences, and one
:class:`~framing.FramingClassifier` per task is fitted on the sentences that
carry that task's label, sharing those features.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.frozen import FrozenEstimator

from .._util import read_json_file
from ..data._corpus import LabeledSentence, Schema, load_schema
from ..datasets._datasets import DatasetMissing
from ..datasets._sources import SOURCES, file_sha256, load_source, source_files
from ..errors import FramingError
from ..features._features import is_function_words, make_features, shared_analysis
from ..features._stance import StanceFeatures, load_axis
from ..lexicon._lexicon import LEXICON_NAMES, Lexicon, LexiconEntry, load_lexicon, normalise_term
from ._classifier import FramingClassifier

logger = logging.getLogger(__name__)

__all__ = ["Recipe", "RecipeError", "load_recipe", "train_recipe", "recipe_sentences", "DEFAULT_DATA_ROOT"]

RECIPE_FORMAT = "framing-recipe"
RECIPE_VERSION = 1
#: Where the external data is looked for when neither the caller nor ``$FRAMING_DATA`` says.
DEFAULT_DATA_ROOT = Path("..") / "shared" / "data"

_CONFIG_DEFAULTS: dict[str, Any] = {
    "C": 1.0,
    "word_ngram_range": [1, 2],
    "char_ngram_range": [3, 5],
    "word_min_df": 3,
    "char_min_df": 5,
    "word_max_features": None,
    "char_max_features": None,
    "harvest_min_count": 3,
    "calibration": "temperature",
    "calibration_folds": 3,
    "block_selection": False,
    "class_weight": "balanced",
    "max_iter": 2000,
    "boilerplate_negatives_every": 20,
    "boilerplate_negative_weight": 1.0,
}


class RecipeError(FramingError, ValueError):
    """A recipe file that is malformed, or whose data does not match its recorded hashes."""


@dataclass(frozen=True)
class RecipeSource:
    """One source of a recipe: its name, folder, file hashes and per-task weights."""

    name: str
    weights: Mapping[str, float]
    path: str | None = None
    files: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Recipe:
    """A parsed recipe file (see the module docstring)."""

    path: Path
    schema: Schema
    sources: tuple[RecipeSource, ...]
    config: Mapping[str, Any]
    evaluation: Mapping[str, Any] | None = None
    description: str = ""
    lexicons: tuple[Mapping[str, Any], ...] = ()
    axis: Mapping[str, Any] | None = None

    def digest(self) -> str:
        """SHA-256 of the recipe's content (sources, hashes, weights, configuration)."""
        document = {
            "sources": [{"name": s.name, "weights": dict(s.weights), "files": dict(s.files)} for s in self.sources],
            "config": dict(self.config),
            "schema": self.schema.to_dict(),
            "lexicons": [dict(entry) for entry in self.lexicons],
        }
        return hashlib.sha256(json.dumps(document, sort_keys=True).encode("utf-8")).hexdigest()


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
    framing.model._recipe.RecipeError: no-such-recipe.json: recipe file not found
    """
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
    axis = None
    axis_file = json.loads(schema_path.read_text(encoding="utf-8")).get("axis")
    if axis_file:
        axis = load_axis(schema_path.parent / str(axis_file))
    config = dict(_CONFIG_DEFAULTS)
    unknown = sorted(set(document.get("config", {})) - set(_CONFIG_DEFAULTS))
    if unknown:
        raise _fail(path, "config", unknown, f"keys among {sorted(_CONFIG_DEFAULTS)}")
    config.update(document.get("config", {}))
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
                raise _fail(path, f"{where}.weights", task, str(list(schema.task_names)))
            if SOURCES[name].tasks and task not in SOURCES[name].tasks:
                raise _fail(path, f"{where}.weights", task, f"tasks that {name} labels: {list(SOURCES[name].tasks)}")
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
                raise _fail(path, f"{where}.weights.{task}", weight, "a number >= 0")
        source_path = entry.get("path")
        sources.append(RecipeSource(name=name, weights=dict(weights),
                                    path=str(base / source_path) if source_path else None,
                                    files=dict(entry.get("files", {}))))
    if not sources:
        raise _fail(path, "sources", document.get("sources"), "a non-empty list")
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
                  lexicons=tuple(lexicons), axis=axis)


def read_word_list(path: Path, lexicon: str, category: str, note: str) -> list[LexiconEntry]:
    """Entries of a one-term-a-line word list (``%`` starts a comment), as ``lexicon``/``category``."""
    if not path.is_file():
        raise DatasetMissing(f"word list not found: {path}")
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        term = normalise_term(line.split("%", 1)[0])
        # Lists such as words/weasels include "that" and "also": as cues they would fire everywhere.
        if term and not is_function_words(term):
            entries[term] = LexiconEntry(lexicon, term, category, note)
    return [entries[term] for term in sorted(entries)]


def recipe_lexicon(recipe: Recipe, data_root: str | Path) -> Lexicon | None:
    """The bundled lexicon plus the recipe's word lists (None when the recipe adds none)."""
    if not recipe.lexicons:
        return None
    base = load_lexicon()
    known = {(entry.lexicon, entry.term) for entry in base}
    extra = []
    for spec in recipe.lexicons:
        for entry in read_word_list(Path(data_root) / spec["file"], spec["lexicon"], spec["category"], spec.get("note", "")):
            if (entry.lexicon, entry.term) not in known:
                known.add((entry.lexicon, entry.term))
                extra.append(entry)
    return base.extend(extra)


def _source_root(source: RecipeSource, data_root: Path) -> Path:
    return Path(source.path) if source.path else data_root


def check_files(recipe: Recipe, data_root: str | Path) -> None:
    """Raise :class:`RecipeError` when a source's files are missing or differ from the recorded hashes."""
    for source in recipe.sources:
        found = source_files(source.name, _source_root(source, Path(data_root)))
        for relative, expected in source.files.items():
            if found.get(relative) != expected:
                raise RecipeError(f"{recipe.path}: source {source.name!r}: {relative} has sha256 {found.get(relative)}, "
                                  f"the recipe records {expected}; the data changed (re-record the recipe if intended)")


def check_lexicon_files(recipe: Recipe, data_root: str | Path) -> None:
    """Raise :class:`RecipeError` when a recipe word list is missing or differs from its recorded hash."""
    for spec in recipe.lexicons:
        path = Path(data_root) / spec["file"]
        if not path.is_file():
            raise DatasetMissing(f"word list not found: {path}")
        found = file_sha256(path)
        if spec.get("sha256") and found != spec["sha256"]:
            raise RecipeError(f"{recipe.path}: word list {spec['file']} has sha256 {found}, the recipe records {spec['sha256']}")


def recipe_sentences(recipe: Recipe, data_root: str | Path,
                     exclude: Sequence[str] = ()) -> list[tuple[str, LabeledSentence]]:
    """``(source name, sentence)`` for every sentence of every source, skipping ``exclude``d sources."""
    pairs = []
    for source in recipe.sources:
        if source.name in exclude:
            continue
        for sentence in load_source(source.name, _source_root(source, Path(data_root))):
            pairs.append((source.name, sentence))
    return pairs


def _union(config: Mapping[str, Any], lexicon: Lexicon | None = None, axis: Mapping[str, Any] | None = None):
    union = make_features(lexicon=lexicon, word_ngram_range=tuple(config["word_ngram_range"]),
                          char_ngram_range=tuple(config["char_ngram_range"]),
                          char_min_df=config["char_min_df"], harvest=True)
    union.set_params(word__min_df=config["word_min_df"], word__max_features=config["word_max_features"],
                     char__max_features=config["char_max_features"],
                     lexicon__harvest_min_count=config["harvest_min_count"])
    if axis is not None:
        # Stance toward each side of the schema's axis (a lexicon-and-pattern block, not n-grams).
        union.transformer_list.append(("stance", StanceFeatures(axis=dict(axis))))
    return union


def task_rows(pairs: Sequence[tuple[str, LabeledSentence]], task: str,
              weights: Mapping[str, Mapping[str, float]]) -> list[tuple[LabeledSentence, float]]:
    """``(sentence, weight)`` of the content sentences that train ``task``: labelled, from a source weighing it > 0."""
    return [(s, weights[name][task]) for name, s in pairs
            if not s.boilerplate and task in s.labels and weights.get(name, {}).get(task, 0) > 0]


def fit_task_classifiers(pairs: Sequence[tuple[str, LabeledSentence]], schema: Schema, weights: Mapping[str, Mapping[str, float]],
                         config: Mapping[str, Any], tasks: Sequence[str] | None = None,
                         progress: Callable[[int, int | None, str], None] | None = None,
                         lexicon: Lexicon | None = None, boilerplate: bool = True,
                         axis: Mapping[str, Any] | None = None):
    """Fit the shared features and one classifier per task on ``pairs``.

    Only the sentences that train one of ``tasks`` (or the boilerplate head)
    shape the features. Returns ``(union, {task: classifier}, boilerplate
    classifier or None)``.
    """
    tasks = list(tasks or schema.task_names)
    steps = len(tasks) + 2
    done = 0

    def notify(message: str) -> None:
        nonlocal done
        if progress is not None:
            progress(done, steps, message)
        done += 1

    with shared_analysis():
        return _fit_task_classifiers(pairs, schema, weights, config, tasks, notify, lexicon, boilerplate, axis)


def _fit_task_classifiers(pairs, schema, weights, config, tasks, notify, lexicon, boilerplate, axis):
    used = [(name, s) for name, s in pairs
            if (boilerplate and s.boilerplate) or any(weights.get(name, {}).get(t, 0) > 0 and t in s.labels for t in tasks)]
    notify("features")
    union = _union(config, lexicon, axis).fit([s for _, s in used])
    frozen = FrozenEstimator(union)
    params = {key: config[key] for key in ("C", "calibration", "calibration_folds", "block_selection", "class_weight",
                                           "max_iter")}
    classifiers = {}
    for task in tasks:
        notify(f"task {task}")
        rows = task_rows(used, task, weights)
        if not rows:
            raise RecipeError(f"task {task!r} has no training sentences in the recipe's sources")
        classifier = FramingClassifier(features=frozen, classes=schema.classes(task), **params)
        classifier.fit([s for s, _ in rows], [s.labels[task] for s, _ in rows],
                       sample_weight=np.asarray([w for _, w in rows], dtype=np.float64))
        classifiers[task] = classifier
    boilerplate_head = None
    seeds_units = [s for name, s in used if name == "seeds"]
    if boilerplate and any(s.boilerplate for s in seeds_units):
        notify("boilerplate")
        # Site furniture is labelled only in the seed articles; real sentences from the other sources
        # (a deterministic sample) teach the head what content looks like beyond five sites.
        every = int(config["boilerplate_negatives_every"])
        others = [s for name, s in used if name != "seeds" and not s.boilerplate][::every] if every > 0 else []
        items = seeds_units + others
        sample_weight = np.asarray([1.0] * len(seeds_units) + [float(config["boilerplate_negative_weight"])] * len(others))
        boilerplate_head = FramingClassifier(features=frozen, classes=(False, True),
                                             **{**params, "calibration": None, "block_selection": False})
        boilerplate_head.fit(items, [bool(s.boilerplate) for s in items], sample_weight=sample_weight)
    return union, classifiers, boilerplate_head


def train_recipe(recipe: Recipe | str | Path, data_root: str | Path | None = None, *, check: bool = True,
                 progress: Callable[[int, int | None, str], None] | None = None):
    """Train the model a recipe describes.

    Parameters
    ----------
    recipe : Recipe or path
    data_root : str or path, optional
        The external data folder (default ``../shared/data``).
    check : bool, default=True
        Refuse data whose files differ from the hashes the recipe records.
    progress : callable, optional
        ``progress(done, total, message)``.

    Returns
    -------
    Model
    """
    from ._model import Model
    from ._training import training_metadata

    if not isinstance(recipe, Recipe):
        recipe = load_recipe(recipe)
    data_root = Path(data_root) if data_root is not None else DEFAULT_DATA_ROOT
    if check:
        check_files(recipe, data_root)
        check_lexicon_files(recipe, data_root)
    pairs = recipe_sentences(recipe, data_root)
    weights = {source.name: dict(source.weights) for source in recipe.sources}
    union, classifiers, boilerplate = fit_task_classifiers(pairs, recipe.schema, weights, recipe.config,
                                                           progress=progress, lexicon=recipe_lexicon(recipe, data_root),
                                                           axis=recipe.axis)
    sentences = [s for _, s in pairs]
    metadata = training_metadata(recipe.schema, sentences, union, _training_config(recipe.config), None)
    metadata["recipe"] = {
        "sha256": recipe.digest(),
        "sources": {
            source.name: {
                "weights": dict(source.weights),
                "n_sentences": sum(1 for name, _ in pairs if name == source.name),
                "labels_made_by": SOURCES[source.name].labels_made_by,
                "licence": SOURCES[source.name].licence,
            }
            for source in recipe.sources
        },
        "config": dict(recipe.config),
    }
    metadata["class_counts"] = _class_counts(pairs, recipe.schema, weights)
    metadata["feature_blocks"] = {task: classifier.blocks_ for task, classifier in classifiers.items()}
    metadata["evaluation"] = dict(recipe.evaluation) if recipe.evaluation else None
    return Model.from_classifiers(recipe.schema, classifiers, boilerplate=boilerplate, metadata=metadata)


def _training_config(config: Mapping[str, Any]):
    from ._training import TrainingConfig

    known = TrainingConfig().to_dict()
    return TrainingConfig.from_dict({key: value for key, value in config.items() if key in known})


def _class_counts(pairs, schema: Schema, weights) -> dict[str, dict[str, int]]:
    from .._util import class_key, same_label

    counts: dict[str, dict[str, int]] = {}
    for task in schema.tasks:
        per_class = {class_key(c): 0 for c in task.classes}
        for name, sentence in pairs:
            if sentence.boilerplate or task.name not in sentence.labels or weights.get(name, {}).get(task.name, 0) <= 0:
                continue
            for c in task.classes:
                if same_label(sentence.labels[task.name], c):
                    per_class[class_key(c)] += 1
        counts[task.name] = per_class
    return counts


def record_recipe(path: str | Path, data_root: str | Path) -> None:
    """Write the current file hashes of every source into the recipe file (atomically)."""
    from .._util import atomic_write

    path = Path(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    recipe = load_recipe(path)
    for entry, source in zip(document["sources"], recipe.sources):
        entry["files"] = source_files(source.name, _source_root(source, Path(data_root)))
    for entry in document.get("lexicons", []):
        entry["sha256"] = file_sha256(Path(data_root) / entry["file"])
    atomic_write(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n", mode=0o644)
