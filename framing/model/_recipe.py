"""Training from a recipe: its sources read through :mod:`framing.datasets`, its word lists, one training run.

The recipe file itself (format, checks, digest) is :mod:`framing.data._recipe`.
:func:`train_recipe` turns a recipe into the inputs of the one training loop,
:func:`framing.model._training.fit_run`: the sentences of its sources (those
that train something), one weight array per task (a source's weight for the
task, 0 where the source does not weigh it), the recipe's
:class:`~framing.TrainingConfig` and the schema's axis. The same recipe, data
and library versions give the same model files byte for byte.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..data import LabeledSentence, Schema
from ..data._recipe import RECIPE_CONFIG_DEFAULTS, RECIPE_FORMAT, RECIPE_VERSION, Recipe, RecipeError, RecipeSource, load_recipe
from ..datasets import DEFAULT_DATA_ROOT, SOURCES, DatasetMissing, file_sha256, load_source, resolve_data_root, source_files
from ..features._lexicon_block import is_function_words
from ..lexicon._lexicon import Lexicon, LexiconEntry, load_lexicon, normalise_term
from ._target import TargetStanceClassifier, source_weights, target_training_items
from ._training import TrainingConfig, fit_run, model_of_run, n_steps, notifier, trained_rows

logger = logging.getLogger(__name__)

__all__ = ["Recipe", "RecipeSource", "RecipeError", "load_recipe", "train_recipe", "recipe_sentences", "recipe_config",
           "recipe_run", "fit_task_classifiers", "task_rows", "check_files", "check_lexicon_files", "record_recipe",
           "DEFAULT_DATA_ROOT", "RECIPE_FORMAT", "RECIPE_VERSION", "RECIPE_CONFIG_DEFAULTS"]

# DEFAULT_DATA_ROOT stays importable from here for older imports; :func:`framing.datasets.resolve_data_root`
# is the one resolver (the caller's folder, else the environment variable, else that folder).


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
        found = source_files(source.name, _source_root(source, Path(data_root)), source.labels)
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
        for sentence in load_source(source.name, _source_root(source, Path(data_root)), source.labels):
            pairs.append((source.name, sentence))
    return pairs


def recipe_config(recipe: Recipe) -> TrainingConfig:
    """The recipe's complete configuration as a :class:`TrainingConfig` (its ``config`` maps onto it field for field)."""
    try:
        return TrainingConfig.from_dict(recipe.config)
    except (TypeError, ValueError) as error:
        raise RecipeError(f"{recipe.path}: field 'config': {error}") from None


def task_rows(pairs: Sequence[tuple[str, LabeledSentence]], task: str,
              weights: Mapping[str, Mapping[str, float]]) -> list[tuple[LabeledSentence, float]]:
    """``(sentence, weight)`` of the content sentences that train ``task``: labelled, from a source weighing it > 0."""
    return [(s, weights[name][task]) for name, s in pairs
            if not s.boilerplate and task in s.labels and weights.get(name, {}).get(task, 0) > 0]


def recipe_run(pairs: Sequence[tuple[str, LabeledSentence]], weights: Mapping[str, Mapping[str, float]],
               tasks: Sequence[str], boilerplate: bool = True) -> tuple[list[LabeledSentence], list[str], dict[str, np.ndarray]]:
    """``(sentences, origins, {task: weights})``: what the training loop gets from a recipe's sentences.

    Only the sentences that train one of ``tasks`` (labelled, from a source
    that weighs the task above 0) or the boilerplate head (marked boilerplate)
    are kept, so only they shape the features; ``origins`` names each one's source.
    """
    used = [(name, s) for name, s in pairs
            if (boilerplate and s.boilerplate) or any(weights.get(name, {}).get(t, 0) > 0 and t in s.labels for t in tasks)]
    origins = [name for name, _ in used]
    task_weights = {task: np.asarray([float(weights.get(name, {}).get(task, 0.0)) for name in origins], dtype=np.float64)
                    for task in tasks}
    return [s for _, s in used], origins, task_weights


def _check_trainable(sentences: Sequence[LabeledSentence], tasks: Sequence[str], task_weights: Mapping[str, np.ndarray]) -> None:
    for task in tasks:
        if not trained_rows(sentences, task, task_weights[task]):
            raise RecipeError(f"task {task!r} has no training sentences in the recipe's sources")


def fit_task_classifiers(pairs: Sequence[tuple[str, LabeledSentence]], schema: Schema, weights: Mapping[str, Mapping[str, float]],
                         config: Mapping[str, Any] | TrainingConfig, tasks: Sequence[str] | None = None,
                         progress: Callable[[int, int | None, str], None] | None = None,
                         lexicon: Lexicon | None = None, boilerplate: bool = True,
                         axis: Mapping[str, Any] | None = None):
    """Fit the shared features and one classifier per task on ``pairs`` (``(source name, sentence)``).

    The training loop of :func:`train_recipe` on a recipe's sentences (the
    benchmarks train on some of its sources this way). Only the sentences
    that train one of ``tasks`` (or the boilerplate head) shape the features.
    Returns ``(union, {task: classifier}, boilerplate classifier or None)``.
    """
    if not isinstance(config, TrainingConfig):
        config = TrainingConfig.from_dict(config)
    tasks = list(tasks or schema.task_names)
    sentences, origins, task_weights = recipe_run(pairs, weights, tasks, boilerplate)
    _check_trainable(sentences, tasks, task_weights)
    run_schema = schema.restricted(tasks)
    notify = notifier(progress, n_steps(run_schema, sentences, boilerplate))
    run = fit_run(run_schema, sentences, config, task_weights=task_weights, origins=origins, lexicon=lexicon, axis=axis,
                  boilerplate=boilerplate, notify=notify)
    return run.features, run.classifiers, run.boilerplate


def train_recipe(recipe: Recipe | str | Path, data_root: str | Path | None = None, *, check: bool = True,
                 progress: Callable[[int, int | None, str], None] | None = None):
    """Train the model a recipe describes.

    Parameters
    ----------
    recipe : Recipe or path
    data_root : str or path, optional
        The external data folder (default: :func:`framing.datasets.resolve_data_root`).
    check : bool, default=True
        Refuse data whose files differ from the hashes the recipe records.
    progress : callable, optional
        ``progress(done, total, message)``.

    Returns
    -------
    Model
        ``metadata["config"]`` is the complete :class:`TrainingConfig`;
        ``metadata["recipe"]`` records the recipe's digest, sources and config.

    Examples
    --------
    >>> train_recipe("no-such-recipe.json")
    Traceback (most recent call last):
    ...
    framing.data._recipe.RecipeError: no-such-recipe.json: recipe file not found
    """
    if not isinstance(recipe, Recipe):
        recipe = load_recipe(recipe)
    data_root = resolve_data_root(data_root)
    config = recipe_config(recipe)
    if check:
        check_files(recipe, data_root)
        check_lexicon_files(recipe, data_root)
        check_target_stance_files(recipe, data_root)
    pairs = recipe_sentences(recipe, data_root)
    weights = {source.name: dict(source.weights) for source in recipe.sources}
    schema = recipe.schema
    sentences, origins, task_weights = recipe_run(pairs, weights, schema.task_names)
    _check_trainable(sentences, schema.task_names, task_weights)
    notify = notifier(progress, n_steps(schema, sentences) + (recipe.target_stance is not None))
    run = fit_run(schema, sentences, config, task_weights=task_weights, origins=origins,
                  lexicon=recipe_lexicon(recipe, data_root), axis=recipe.axis, notify=notify)
    extra = {
        "recipe": {
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
        },
        "evaluation": dict(recipe.evaluation) if recipe.evaluation else None,
    }
    model = model_of_run(run, schema, sentences, config, task_weights=task_weights, extra_metadata=extra)
    if recipe.target_stance is not None:
        notify("target stance")
        model.target_stance, model.metadata["target_stance"] = fit_target_stance(recipe.target_stance, data_root)
    return model


def target_stance_files(section: Mapping[str, Any], data_root: str | Path) -> dict[str, str]:
    """``{relative path: sha256}`` of the files a recipe's ``target_stance`` section trains on."""
    found = {}
    if "newsmtsc" in section["sources"]:
        found["newsmtsc/train.jsonl"] = file_sha256(Path(data_root) / "newsmtsc" / "train.jsonl")
    if "targets" in section["sources"]:
        found["targets.jsonl"] = file_sha256(Path(section["labels"]))
    return found


def check_target_stance_files(recipe: Recipe, data_root: str | Path) -> None:
    """Raise :class:`RecipeError` when the target-stance training files differ from the recipe's hashes."""
    if recipe.target_stance is None:
        return
    expected = recipe.target_stance.get("files", {})
    for relative, digest in target_stance_files(recipe.target_stance, data_root).items():
        if expected.get(relative) != digest:
            raise RecipeError(f"{recipe.path}: target_stance: {relative} has sha256 {digest}, the recipe records "
                              f"{expected.get(relative)}; the data changed (re-record the recipe if intended)")


def fit_target_stance(section: Mapping[str, Any], data_root: str | Path, exclude: Sequence[str] = ()):
    """Fit the target-stance classifier a recipe's ``target_stance`` section describes.

    ``exclude`` names data sets whose project labels are left out (``"ukraine-news-bias"``: a held-out source).
    Returns the fitted :class:`TargetStanceClassifier` and what its metadata records (sources, counts, parameters).
    """
    items, y, _, origins = target_training_items(data_root, section.get("labels"), tuple(section["sources"]))
    weights = source_weights(origins, section["sources"])
    keep = np.flatnonzero((weights > 0) & ~np.isin(origins, [f"targets:{name}" for name in exclude]))
    classifier = TargetStanceClassifier(**dict(section.get("params", {})))
    classifier.fit([items[i] for i in keep], y[keep], sample_weight=weights[keep])
    names, counts = np.unique(origins[keep], return_counts=True)
    info = {"sources": dict(section["sources"]), "n_items": {str(n): int(c) for n, c in zip(names, counts)},
            "params": classifier.get_params(), "excluded": list(exclude),
            "labels_made_by": {"newsmtsc": "crowd workers (NewsMTSC, Hamborg & Donnay 2021)",
                               "targets": "two blind passes by separate AI sessions, every disagreement adjudicated "
                                          "(labeled/targets.jsonl, codebook 5.1): machine-made labels"}}
    return classifier, info


def record_recipe(path: str | Path, data_root: str | Path) -> None:
    """Write the current file hashes of every source into the recipe file (atomically)."""
    from .._util import atomic_write

    path = Path(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    recipe = load_recipe(path)
    for entry, source in zip(document["sources"], recipe.sources):
        entry["files"] = source_files(source.name, _source_root(source, Path(data_root)), source.labels)
    for entry in document.get("lexicons", []):
        entry["sha256"] = file_sha256(Path(data_root) / entry["file"])
    if recipe.target_stance is not None:
        document["target_stance"]["files"] = target_stance_files(recipe.target_stance, data_root)
    atomic_write(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n", mode=0o644)
