"""Saving and loading models as plain data: ``model.json`` plus ``weights.npz``, never pickle.

A model folder holds exactly:

``model.json``
    Format version, library versions, schema, training metadata, the
    parameters and learned plain-data state of every feature transformer
    (vocabularies, lexicon snapshot) and each task head's classes and
    temperature.
``weights.npz``
    Every array (coefficients, intercepts, idf vectors), read with
    ``numpy.load(allow_pickle=False)``.

and optionally ``MODEL_CARD.md`` and ``__init__.py`` (the bundled model is a
package). Anything else is refused, and nothing in the folder is ever
executed. Saving writes a temporary folder beside the target and renames it
into place, so a crash never leaves a half-written model. The files are
byte-for-byte reproducible: JSON with sorted keys and the ``.npz`` written
with fixed timestamps.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import logging
import math
import os
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.pipeline import FeatureUnion

from .._version import __version__
from ..data import CorpusError, Schema
from ..errors import FramingError
from ..features import AttributionFeatures, CharNgrams, HedgeFeatures, LexiconFeatures, ShapeFeatures, WordNgrams
from ..features._stance import StanceFeatures
from ..features._voice import VoiceFeatures
from ..lexicon._lexicon import Lexicon
from ._classifier import TaskHead
from ._target import TargetStanceClassifier

#: What a model folder holds: the schema, the fitted feature union, the heads and the metadata.
ModelParts = tuple[Schema, FeatureUnion, dict[str, TaskHead], dict[str, Any], Any]
#: Prefix of the target-stance classifier's arrays in ``weights.npz``.
TARGET_STANCE_PREFIX = "target_stance/"

logger = logging.getLogger(__name__)

__all__ = ["save_model", "read_model", "ModelFormatError", "FORMAT_VERSION", "MODEL_FILES"]

FORMAT = "framing-model"
FORMAT_VERSION = 2
#: Formats this version reads. 2: lexicon snapshots stored once (``lexicons``), n-gram feature names
#: derived from the vocabulary, weights as float32 with one row for a binary head's symmetric pair. The task heads'
#: weights are written as float16 since the frame heads (the classifier rounds them so when it fits); any
#: floating-point dtype is read.
READABLE_FORMATS = (1, 2)
MODEL_FILES = ("model.json", "weights.npz")
OPTIONAL_FILES = ("MODEL_CARD.md", "__init__.py")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ModelFormatError(FramingError, ValueError):
    """A model folder is missing, malformed, unsafe or from an incompatible version."""


#: Only these classes can be rebuilt from a model file: nothing is imported by a name read from disk.
_FEATURE_CLASSES = {cls.__name__: cls for cls in (LexiconFeatures, AttributionFeatures, HedgeFeatures, ShapeFeatures,
                                                  WordNgrams, CharNgrams, StanceFeatures, VoiceFeatures)}


@contextlib.contextmanager
def malformed_as_format_error(folder: Path) -> Iterator[None]:
    """Turn the errors that well-formed JSON of the wrong shape causes into a :class:`ModelFormatError`."""
    try:
        yield
    except ModelFormatError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        # A list where an object belongs, a missing key, garbage parameters.
        raise ModelFormatError(f"{folder / 'model.json'}: malformed model description "
                               f"({type(error).__name__}: {error})") from None


def _json_params(params: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for key, value in params.items():
        if isinstance(value, Lexicon):
            value = {"lexicon_records": value.to_records()}
        elif isinstance(value, tuple):
            value = list(value)
        result[key] = value
    return result


def _restore_params(params: dict[str, Any], cls, lexicons: dict[str, Any] | None = None,
                    built: dict[str, Lexicon] | None = None) -> dict[str, Any]:
    """Constructor parameters from their JSON form; ``built`` keeps the Lexicon of each stored reference."""
    result = {}
    built = {} if built is None else built
    for key, value in params.items():
        if isinstance(value, dict) and "lexicon_records" in value:
            value = Lexicon.from_records(value["lexicon_records"])
        elif isinstance(value, dict) and set(value) == {"lexicon_ref"}:
            reference = value["lexicon_ref"]
            if reference not in built:
                records = (lexicons or {}).get(reference)
                if records is None:
                    raise ModelFormatError(f"model.json: lexicon {reference!r} is referenced but not stored")
                # Stored once, shared by several blocks: one immutable Lexicon for all of them.
                built[reference] = Lexicon.from_records(records)
            value = built[reference]
        elif isinstance(value, list) and key in ("ngram_range", "lexicons"):
            value = tuple(value)
        result[key] = value
    return result


def _ngram_names(transformer) -> list[str] | None:
    """The feature names an n-gram block derives from its vocabulary (so a model file need not store both)."""
    prefix = getattr(transformer, "_prefix", None)
    vocabulary = getattr(transformer, "vocabulary_", None)
    if prefix is None or vocabulary is None:
        return None
    return [f"{prefix}:{gram}" for gram in vocabulary]


def _base_notes(transformer, cache: dict[int, dict] | None = None) -> dict[tuple[str, str, str], str]:
    """``{(lexicon, term, category): note}`` of the Lexicon a transformer was given, or {} without one."""
    lexicon = getattr(transformer, "lexicon", None)
    if not isinstance(lexicon, Lexicon):
        return {}
    if cache is not None and id(lexicon) in cache:
        return cache[id(lexicon)]
    notes = {(e.lexicon, e.term, e.category): e.note for e in lexicon}
    if cache is not None:
        cache[id(lexicon)] = notes
    return notes


def _model_to_plain(model) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    arrays: dict[str, np.ndarray] = {}
    transformers = []
    lexicons: dict[str, Any] = {}
    for name, transformer in model.features.transformer_list:
        state = {}
        derived_names = _ngram_names(transformer)
        for key, value in sorted(vars(transformer).items()):
            if not key.endswith("_") or key.startswith("_"):
                continue
            if key == "feature_names_" and derived_names is not None and list(value) == derived_names:
                continue
            if isinstance(value, np.ndarray):
                array_name = f"features/{name}/{key}"
                arrays[array_name] = value
                state[key] = {"npz": array_name}
            else:
                state[key] = value
        base_notes = _base_notes(transformer)
        if base_notes and isinstance(state.get("lexicon_"), list):
            # A learned lexicon snapshot repeats the notes of the lexicon it was built from: keep a note
            # only where it differs (harvested terms), and restore the others from the stored lexicon on load.
            state["lexicon_"] = [record[:3] if base_notes.get(tuple(record[:3])) == record[3] else record
                                 for record in state["lexicon_"]]
        params = {}
        for key, value in transformer.get_params(deep=False).items():
            if isinstance(value, Lexicon):
                # Several blocks share one lexicon: store its records once, refer to them by digest.
                digest = value.digest()
                lexicons[digest] = value.to_records()
                params[key] = {"lexicon_ref": digest}
            else:
                params[key] = value
        transformers.append({
            "name": name,
            "class": type(transformer).__name__,
            "params": _json_params(params),
            "state": state,
        })
    heads = {}
    for task, head in model.heads.items():
        coef = np.asarray(head.coef, dtype=np.float16)
        spec = {"classes": list(head.classes), "temperature": head.temperature,
                "coef": f"heads/{task}/coef", "intercept": f"heads/{task}/intercept"}
        if len(head.classes) == 2 and np.array_equal(coef[0], -coef[1]):
            # A binary head's rows are the symmetric split of one logit: store the second row only.
            coef = coef[1:]
            spec["symmetric"] = True
        arrays[f"heads/{task}/coef"] = coef
        arrays[f"heads/{task}/intercept"] = head.intercept
        heads[task] = spec
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "metadata": model.metadata,
        "schema": model.schema.to_dict(),
        "features": {
            "transformer_weights": model.features.transformer_weights,
            "transformers": transformers,
        },
        "heads": heads,
        "lexicons": lexicons,
    }
    target_stance = getattr(model, "target_stance", None)
    if target_stance is not None:
        stance_document, stance_arrays = target_stance.to_plain()
        document["target_stance"] = stance_document
        arrays.update({f"{TARGET_STANCE_PREFIX}{name}": array for name, array in stance_arrays.items()})
    return document, arrays


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, buffer.getvalue())


def save_model(model, path: str | os.PathLike) -> Path:
    """Write ``model`` to the folder ``path`` atomically (replacing an existing model folder)."""
    path = Path(path)
    document, arrays = _model_to_plain(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        os.chmod(staging, 0o755)
        # Compact separators: the vocabularies and lexicon snapshot are most of the file, and indentation
        # alone would add a third to it (the model folder must stay under 5 MB).
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        with open(staging / "model.json", "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        _write_npz(staging / "weights.npz", arrays)
        for keep in OPTIONAL_FILES:
            if (path / keep).is_file():
                shutil.copyfile(path / keep, staging / keep)
        for child in staging.iterdir():
            with open(child, "rb") as handle:
                os.fsync(handle.fileno())
        if path.exists():
            if not path.is_dir():
                raise ModelFormatError(f"{path} exists and is not a folder")
            unexpected = sorted(p.name for p in path.iterdir() if p.name not in MODEL_FILES + OPTIONAL_FILES and p.name != "__pycache__")
            if unexpected:
                raise ModelFormatError(f"refusing to replace {path}: it holds files that are not part of a model: {unexpected}")
            backup = Path(tempfile.mkdtemp(prefix=f".{path.name}.old.", dir=path.parent))
            os.rmdir(backup)
            os.replace(path, backup)
            try:
                os.replace(staging, path)
            except BaseException:
                # Put the old model back rather than leave no model at all.
                os.replace(backup, path)
                raise
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info("saved model to %s", path)
    return path


# ---------------------------------------------------------------------- loading


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise ModelFormatError(f"model folder not found: {folder}")
    if not folder.is_dir():
        raise ModelFormatError(f"not a model folder (expected a folder with {list(MODEL_FILES)}): {folder}")
    root = folder.resolve()
    for child in sorted(folder.iterdir()):
        if child.name == "__pycache__" or (child.name.startswith(".") and child.name != ".."):
            continue
        if child.is_symlink():
            try:
                target = child.resolve(strict=True)
            except (OSError, RuntimeError):
                raise ModelFormatError(f"{child}: broken or looping symbolic link is refused") from None
            if root not in target.parents:
                raise ModelFormatError(f"{child}: symbolic link leading outside the model folder is refused")
        if child.name not in MODEL_FILES + OPTIONAL_FILES:
            raise ModelFormatError(
                f"{child}: unexpected file in model folder; allowed: {list(MODEL_FILES + OPTIONAL_FILES)}"
            )
    for name in MODEL_FILES:
        if not (folder / name).is_file():
            raise ModelFormatError(f"{folder / name}: missing model file")


def _read_document(folder: Path) -> dict[str, Any]:
    path = folder / "model.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ModelFormatError(f"{path}:{error.lineno}: malformed JSON: {error.msg}") from None
    except UnicodeDecodeError:
        raise ModelFormatError(f"{path}: not UTF-8 text") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else type(document).__name__
        raise ModelFormatError(f"{path}: field 'format' must be {FORMAT!r}, got {found!r}")
    version = document.get("format_version")
    if type(version) is not int or version not in READABLE_FORMATS:
        raise ModelFormatError(f"{path}: field 'format_version' is {version!r}; this framing {__version__} reads formats "
                               f"{list(READABLE_FORMATS)}")
    # Every saved model has metadata (versions, data and lexicon hashes): a file without it was not written by save().
    if "metadata" not in document:
        raise ModelFormatError(f"{path}: missing field 'metadata'")
    if not isinstance(document["metadata"], dict):
        raise ModelFormatError(f"{path}: field 'metadata' must be an object, got {type(document['metadata']).__name__}")
    saved_by = str(document["metadata"].get("framing_version", "?"))
    if saved_by.split(".")[:2] != __version__.split(".")[:2]:
        warnings.warn(f"model was saved by framing {saved_by}, this is framing {__version__}; scores may differ", UserWarning, stacklevel=3)
    for key in ("schema", "features", "heads"):
        if key not in document:
            raise ModelFormatError(f"{path}: missing field {key!r}")
        if not isinstance(document[key], dict):
            raise ModelFormatError(f"{path}: field {key!r} must be an object, got {type(document[key]).__name__}")
    return document


def _read_arrays(folder: Path) -> dict[str, np.ndarray]:
    path = folder / "weights.npz"
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except ValueError as error:
        raise ModelFormatError(f"{path}: refused: {error} (object arrays need pickle, which is never loaded)") from None
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise ModelFormatError(f"{path}: not a valid .npz archive ({error})") from None


def _array(arrays: dict[str, np.ndarray], name: str, shape, where: str) -> np.ndarray:
    if name not in arrays:
        raise ModelFormatError(f"weights.npz: missing array {name!r} needed by {where}")
    array = arrays[name]
    if not isinstance(array, np.ndarray):
        raise ModelFormatError(f"weights.npz: member {name!r} is not a .npy array")
    if array.dtype.kind != "f":
        raise ModelFormatError(f"weights.npz: array {name!r} has dtype {array.dtype}, expected floating point")
    if tuple(array.shape) != tuple(shape):
        raise ModelFormatError(f"weights.npz: array {name!r} has shape {array.shape}, expected {tuple(shape)}")
    if not np.all(np.isfinite(array)):
        raise ModelFormatError(f"weights.npz: array {name!r} holds NaN or infinite values")
    return array.astype(np.float64, copy=False)


def _rebuild(document: dict[str, Any], arrays: dict[str, np.ndarray]) -> ModelParts:
    try:
        schema = Schema.from_dict(document["schema"], file="model.json:schema")
    except CorpusError as error:
        raise ModelFormatError(f"model.json: invalid schema: {error}") from None
    classes = _FEATURE_CLASSES
    transformers = []
    lexicons_built: dict[str, Lexicon] = {}
    notes_cache: dict[int, dict] = {}
    try:
        for spec in document["features"]["transformers"]:
            cls = classes.get(spec.get("class"))
            if cls is None:
                raise ModelFormatError(f"model.json: unknown feature class {spec.get('class')!r}; allowed: {sorted(classes)}")
            transformer = cls(**_restore_params(spec.get("params", {}), cls, document.get("lexicons"), lexicons_built))
            for key, value in spec.get("state", {}).items():
                if not key.endswith("_"):
                    raise ModelFormatError(f"model.json: feature state {key!r} of {spec['name']!r} is not learned state")
                if isinstance(value, dict) and set(value) == {"npz"}:
                    if value["npz"] not in arrays:
                        raise ModelFormatError(f"weights.npz: missing array {value['npz']!r}")
                    value = arrays[value["npz"]]
                setattr(transformer, key, value)
            if isinstance(getattr(transformer, "lexicon_", None), list):
                notes = _base_notes(transformer, notes_cache)
                transformer.lexicon_ = [list(record) if len(record) == 4 else [*record, notes.get(tuple(record), "")]
                                        for record in transformer.lexicon_]
            if not hasattr(transformer, "feature_names_"):
                derived = _ngram_names(transformer)
                if derived is None:
                    raise ModelFormatError(f"model.json: feature block {spec['name']!r} has no feature_names_")
                transformer.feature_names_ = derived
            transformers.append((spec["name"], transformer))
    except (TypeError, KeyError) as error:
        raise ModelFormatError(f"model.json: malformed feature description ({error})") from None
    union = FeatureUnion(transformers, transformer_weights=document["features"].get("transformer_weights"),
                         verbose_feature_names_out=False)
    n_features = sum(len(t.feature_names_) for _, t in transformers)
    for name, transformer in transformers:
        idf = getattr(transformer, "idf_", None)
        if idf is not None and (not isinstance(idf, np.ndarray) or idf.shape != (len(transformer.vocabulary_),)
                                or idf.dtype.kind != "f" or not np.all(np.isfinite(idf))):
            raise ModelFormatError(f"weights.npz: idf of {name!r} has shape {getattr(idf, 'shape', None)} and dtype "
                                   f"{getattr(idf, 'dtype', type(idf).__name__)}; expected ({len(transformer.vocabulary_)},) finite floats")
    heads = {}
    for task, spec in document["heads"].items():
        head_classes = tuple(spec["classes"])
        if spec.get("symmetric"):
            if len(head_classes) != 2:
                raise ModelFormatError(f"model.json: heads.{task}: only a two-class head can be stored symmetric")
            row = _array(arrays, spec["coef"], (1, n_features), f"task {task!r}")
            coef = np.vstack([-row, row])
        else:
            coef = _array(arrays, spec["coef"], (len(head_classes), n_features), f"task {task!r}")
        intercept = _array(arrays, spec["intercept"], (len(head_classes),), f"task {task!r}")
        temperature = float(spec.get("temperature", 1.0))
        if not (math.isfinite(temperature) and temperature > 0):
            raise ModelFormatError(f"model.json: heads.{task}.temperature must be a finite number > 0, got {temperature}")
        heads[task] = TaskHead(task, head_classes, coef, intercept, temperature)
    for task in schema.tasks:
        if task.name in heads and heads[task.name].classes != task.classes:
            raise ModelFormatError(f"model.json: classes of task {task.name!r} differ between schema and head")
    target_stance = None
    if document.get("target_stance") is not None:
        stance_arrays = {name[len(TARGET_STANCE_PREFIX):]: array for name, array in arrays.items()
                         if name.startswith(TARGET_STANCE_PREFIX)}
        try:
            target_stance = TargetStanceClassifier.from_plain(document["target_stance"], stance_arrays)
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFormatError(f"model.json: malformed target_stance ({error})") from None
    return schema, union, heads, document.get("metadata") or {}, target_stance


def read_model(folder: str | os.PathLike) -> ModelParts:
    """``(schema, features, heads, metadata, target_stance or None)`` of a saved model folder, checked (see :func:`framing.load`)."""
    folder = Path(folder)
    _check_folder(folder)
    with _no_cyclic_gc():
        document = _read_document(folder)
        arrays = _read_arrays(folder)
        with malformed_as_format_error(folder):
            return _rebuild(document, arrays)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (restoring its previous state after).

    Reading a model allocates tens of thousands of small lists and strings,
    none of them cyclic garbage; the collector would rescan them again and
    again, a third of the load time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
