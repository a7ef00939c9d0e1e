"""The framing model: a multi-task container of :class:`FramingClassifier` sharing one feature union.

Features are extracted once per batch and every task's logits come from one
sparse-times-dense product with the stacked coefficient matrix. Probabilities
are a softmax of the logits divided by a per-task temperature fitted by
grouped cross-validation inside the training data (temperature scaling keeps
the model linear, so every score decomposes exactly into coefficient x value).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.frozen import FrozenEstimator

from .._util import BOILERPLATE, BOILERPLATE_THRESHOLD, class_key, same_label
from ..data import FrameSet, Schema
from ..errors import UnknownTaskError
from ..features import analyze, transform_in_batches
from ..features._mentions import MentionFinder
from ..features._stance import axis_document
from ..parallel._batch import score_stream
from ..report._boilerplate import adjust_boilerplate
from ..report._report import ArticleReport, build_report
from ..report._scored import CUE_TYPES, ScoredArticle, ScoredSentences, mention_columns
from ..text import segment
from ..voice import UnitVoice, voice_of_article
from ._article_evidence import ArticleEvidence
from ._classifier import FramingClassifier, TaskHead, relative_coef, softmax
from ._persist import malformed_as_format_error, read_model, save_model
from ._stance import NO_STANCE_COMPONENT, check_mentions, score_article_mentions, spelling_groups
from ._target import STANCE_CLASSES

logger = logging.getLogger(__name__)

__all__ = ["Model", "TaskHead", "load", "BOILERPLATE"]

#: The reliability key of the stance toward a mention (:meth:`Model.stance_toward`).
TARGET_STANCE = "target_stance"

#: Units of one text scored at a time: a longer text is scored in chunks of this many (same report, bounded memory).
SCORE_CHUNK_UNITS = 1024


#: The voice of a part of a unit scored alone: words with no quotation, cue or source of their own.
_PLAIN_VOICE = UnitVoice(voice="author", quoted=(), cues=(), sources=(), content=(), speaker=None)


class _VoicedUnit:
    """A unit's text with the voice the article-level stage found for it (what the ``voice`` block reads)."""

    __slots__ = ("text", "voice")

    def __init__(self, text: str, voice):
        self.text = text
        self.voice = voice


def sentence_cues(lexicon_features, text: str) -> list[dict[str, Any]]:
    """Lexicon cues in one unit with character offsets relative to it.

    ``lexicon_features`` is a fitted :class:`framing.features.LexiconFeatures`.

    Examples
    --------
    >>> import framing
    >>> lexicon = framing.load().features.named_transformers["lexicon"]
    >>> sorted({(cue["type"], cue["term"]) for cue in sentence_cues(lexicon, "The regime reportedly fell.")})[:2]
    [('attribution_cue', 'reportedly'), ('hedge', 'reportedly')]
    """
    offsets = analyze(text).offsets
    # One cue per (start, end, type): "seemingly" matches both "seem*" and "seemingly", "White House"
    # may be both a source and an organisation. An exact term wins over a wildcard one.
    cues: dict[tuple[int, int, str], dict[str, Any]] = {}
    for entry, first, end, in_quote in lexicon_features.matches(text):
        cue_type = CUE_TYPES.get(entry.lexicon)
        if cue_type is None or entry.category in ("conditional",):
            continue
        key = (offsets[first][0], offsets[end - 1][1], cue_type)
        if key in cues and not (cues[key]["term"].endswith("*") and not entry.term.endswith("*")):
            continue
        cues[key] = {
            "start": key[0],
            "end": key[1],
            "type": cue_type,
            "term": entry.term,
            "category": entry.category,
            "in_quote": bool(in_quote),
        }
    return list(cues.values())


class Model:
    """A trained framing model: one fitted :class:`FramingClassifier` per task over one shared feature union.

    Create one with :func:`framing.train`, :func:`framing.load` or
    :meth:`Model.from_classifiers`.

    Attributes
    ----------
    schema : Schema
        Tasks and classes the model was trained on.
    features : sklearn.pipeline.FeatureUnion
        The fitted feature extractor shared by every task.
    classifiers : dict
        ``{task: FramingClassifier}``, plus ``"boilerplate"`` when the model has that head.
    heads : dict
        ``{task: TaskHead}``: the same weights as plain data (what a saved model stores).
    metadata : dict
        Versions, training-data hash, lexicon digest; ``metadata["evaluation"]`` is reserved (None).

    Notes
    -----
    One boilerplate answer per unit: every public way of asking
    (:meth:`predict_proba` and :meth:`predict_all` for ``"boilerplate"``,
    :meth:`explain`, :meth:`score_sentences`, :meth:`score`,
    :meth:`score_many`, the Dask helpers) gives the head's probability with
    the shape prior of :mod:`framing.report._boilerplate`, decided once in
    the model; a unit is left out of a report's scores when it is >= 0.5. The
    head alone, without the prior, is ``model.classifiers["boilerplate"].predict_proba``.
    """

    def __init__(self, schema: Schema, features, heads: Mapping[str, TaskHead], metadata: dict[str, Any] | None = None,
                 target_stance=None):
        self.schema = schema
        self.features = features
        self.heads = dict(heads)
        self.metadata = dict(metadata or {})
        #: The :class:`framing.model.TargetStanceClassifier` of :meth:`stance_toward` (None: the model has none).
        self.target_stance = target_stance
        missing = [name for name in schema.task_names if name not in self.heads]
        if missing:
            raise ValueError(f"model has no classifier for task(s) {missing}")
        order = list(schema.task_names) + ([BOILERPLATE] if BOILERPLATE in self.heads else [])
        self._order = order
        self._stacked_coef = np.vstack([self.heads[name].coef for name in order]).T.copy()
        self._stacked_intercept = np.concatenate([self.heads[name].intercept for name in order])
        bounds, position = {}, 0
        for name in order:
            width = len(self.heads[name].classes)
            bounds[name] = (position, position + width)
            position += width
        self._bounds = bounds
        self._feature_names: np.ndarray | None = None
        self._relative: dict[str, np.ndarray] = {}
        self._classifiers: dict[str, FramingClassifier] = {}

    @classmethod
    def from_classifiers(cls, schema: Schema, classifiers: Mapping[str, FramingClassifier],
                         boilerplate: FramingClassifier | None = None,
                         metadata: dict[str, Any] | None = None) -> Model:
        """A model from fitted classifiers that share one fitted feature union.

        Parameters
        ----------
        schema : Schema
            The tasks, in order; ``classifiers`` must hold exactly these.
        classifiers : mapping of str to FramingClassifier
            Fitted, each with the same ``features_`` object (pass the same
            ``FrozenEstimator`` as ``features=`` to each, see
            :class:`FramingClassifier`), and with the schema's classes in the
            schema's order (pass ``classes=schema.classes(task)``).
        boilerplate : FramingClassifier, optional
            The auxiliary head with classes ``(False, True)`` that recognises site furniture.
        metadata : dict, optional

        Returns
        -------
        Model
            Scores with one feature extraction and one sparse product for all
            tasks; its probabilities equal each classifier's ``predict_proba``.
        """
        named = dict(classifiers)
        unknown = sorted(set(named) - set(schema.task_names))
        missing = [task for task in schema.task_names if task not in named]
        if unknown or missing:
            raise ValueError(f"classifiers must be given for exactly the schema's tasks {list(schema.task_names)}; "
                             f"missing {missing}, not in the schema {unknown}")
        if boilerplate is not None:
            named[BOILERPLATE] = boilerplate
        features = None
        heads = {}
        for name, classifier in named.items():
            if not hasattr(classifier, "coef_"):
                raise ValueError(f"the classifier of {name!r} is not fitted")
            if features is None:
                features = classifier.features_
            elif classifier.features_ is not features:
                raise ValueError(f"the classifier of {name!r} has its own features; every classifier must share one "
                                 "fitted feature union (pass the same FrozenEstimator as features=)")
            head = classifier.to_head(name)
            expected = (False, True) if name == BOILERPLATE else schema.classes(name)
            if len(head.classes) != len(expected) or not all(map(same_label, head.classes, expected)):
                raise ValueError(f"classes of {name!r} are {list(head.classes)}; the schema needs {list(expected)} "
                                 f"in that order (pass classes= to the classifier)")
            heads[name] = head
        model = cls(schema, features, heads, metadata)
        model._classifiers = named
        return model

    # ------------------------------------------------------------------ introspection
    @property
    def tasks(self) -> tuple[str, ...]:
        """Task names in schema order."""
        return self.schema.task_names

    def classes(self, task: str) -> tuple[Any, ...]:
        """Classes of ``task``, in the column order of :meth:`predict_proba`."""
        return self._head(task).classes

    @property
    def frame_sets(self) -> tuple[FrameSet, ...]:
        """The schema's frame sets: named groups of binary tasks read as one multi-label frame profile."""
        return self.schema.frame_sets

    def _frame_set(self, name: str | None) -> FrameSet:
        """The frame set called ``name``; with None, the model's only one."""
        if name is not None:
            return self.schema.frame_set(name)
        if len(self.frame_sets) == 1:
            return self.frame_sets[0]
        if not self.frame_sets:
            raise ValueError(f"this model has no frame sets (its schema declares none); its tasks: {list(self.tasks)}")
        raise ValueError(f"this model has several frame sets; name one with frame_set=: "
                         f"{[frame_set.name for frame_set in self.frame_sets]}")

    def _head(self, task: str) -> TaskHead:
        # The auxiliary boilerplate head is reachable by name but not listed among the tasks.
        if not isinstance(task, str) or task not in self.heads:
            raise UnknownTaskError(task, self.tasks)
        return self.heads[task]

    @property
    def classifiers(self) -> dict[str, FramingClassifier]:
        """``{task: fitted FramingClassifier}`` (built on first use for a loaded model; they share :attr:`features`)."""
        if len(self._classifiers) != len(self.heads):
            frozen = FrozenEstimator(self.features)
            blocks = self.metadata.get("feature_blocks") or {}
            self._classifiers = {name: FramingClassifier.from_head(head, frozen, blocks=blocks.get(name, "all"))
                                 for name, head in self.heads.items()}
        return dict(self._classifiers)

    @property
    def feature_names(self) -> np.ndarray:
        if self._feature_names is None:
            self._feature_names = self.features.get_feature_names_out()
        return self._feature_names

    @property
    def n_features(self) -> int:
        """Number of feature columns."""
        return int(self._stacked_coef.shape[0])

    def __repr__(self) -> str:
        return f"Model(tasks={list(self.tasks)}, n_features={self.n_features})"

    # ------------------------------------------------------------------ prediction
    @staticmethod
    def _check_sentences(sentences) -> list[str]:
        if isinstance(sentences, str):
            raise TypeError("sentences must be a list of str, got a single str; wrap it in a list or use score() for an article")
        texts = []
        for index, sentence in enumerate(sentences):
            if not isinstance(sentence, str):
                raise TypeError(f"sentence {index} must be str, got {type(sentence).__name__}")
            texts.append(sentence)
        return texts

    def transform(self, sentences: Sequence[str]):
        """The feature matrix (sparse CSR, one row per sentence)."""
        return transform_in_batches(self.features, self._check_sentences(sentences))

    def _probabilities(self, X, texts: Sequence[str]) -> dict[str, np.ndarray]:
        logits = np.asarray(X @ self._stacked_coef) + self._stacked_intercept
        result = {}
        for name in self._order:
            start, end = self._bounds[name]
            result[name] = softmax(logits[:, start:end] / self.heads[name].temperature)
        if BOILERPLATE in result:
            result[BOILERPLATE] = self._decide_boilerplate(result[BOILERPLATE], texts)
        return result

    def _decide_boilerplate(self, head: np.ndarray, texts: Sequence[str]) -> np.ndarray:
        """``(n, 2)`` P(boilerplate) columns from the head's, with the shape prior applied once, here."""
        true = list(self.heads[BOILERPLATE].classes).index(True)
        decided = np.empty_like(head)
        decided[:, true] = adjust_boilerplate(head[:, true], texts)
        decided[:, 1 - true] = 1.0 - decided[:, true]
        return decided

    def predict_proba(self, sentences: Sequence[str], task: str) -> np.ndarray:
        """Class probabilities, shape ``(n_sentences, n_classes)``, columns in ``classes(task)`` order.

        For ``"boilerplate"`` this is the decision reports use: the head's
        probability with the shape prior of :mod:`framing.report._boilerplate`
        (what :attr:`SentenceScore.boilerplate <framing.SentenceScore>` says).
        The head alone is ``model.classifiers["boilerplate"].predict_proba(sentences)``.

        Examples
        --------
        >>> import framing
        >>> model = framing.load()
        >>> p = model.predict_proba(["Analysts say talks may fail.", "Rubio met Umerov."], "hedged")
        >>> p.shape, bool(abs(p.sum(axis=1) - 1).max() < 1e-9)
        ((2, 2), True)
        >>> bool(model.predict_proba(["Sign in to comment"], "boilerplate")[0, 1]
        ...      == model.score("Sign in to comment").sentences[0].boilerplate)
        True
        """
        head = self._head(task)
        texts = self._check_sentences(sentences)
        if not texts:
            return np.zeros((0, len(head.classes)))
        X = transform_in_batches(self.features, texts)
        return self._task_probabilities(X, texts, task)

    def _task_probabilities(self, X, texts: Sequence[str], task: str) -> np.ndarray:
        start, end = self._bounds[task]
        logits = np.asarray(X @ self._stacked_coef[:, start:end]) + self._stacked_intercept[start:end]
        probabilities = softmax(logits / self.heads[task].temperature)
        return self._decide_boilerplate(probabilities, texts) if task == BOILERPLATE else probabilities

    def predict(self, sentences: Sequence[str], task: str) -> list[Any]:
        """The most probable class of each sentence."""
        classes = self.classes(task)
        return [classes[i] for i in self.predict_proba(sentences, task).argmax(axis=1)]

    def predict_all(self, sentences: Sequence[str]) -> dict[str, np.ndarray]:
        """Probabilities for every task (and the boilerplate decision, see :meth:`predict_proba`) from one feature extraction."""
        texts = self._check_sentences(sentences)
        if not texts:
            return {name: np.zeros((0, len(self.heads[name].classes))) for name in self._order}
        return self._probabilities(transform_in_batches(self.features, texts), texts)

    def predict_frames(self, sentences: Sequence[str], frame_set: str | None = None) -> np.ndarray:
        """P(frame present) of each sentence for every frame of a frame set, from one feature extraction.

        Parameters
        ----------
        sentences : list of str
        frame_set : str, optional
            The name of one of :attr:`frame_sets`; default the model's only frame set.

        Returns
        -------
        ndarray of shape (n_sentences, n_frames)
            Columns in the set's frame order (:attr:`FrameSet.frames <framing.FrameSet>`). Each frame is its own
            binary task: a row's probabilities are independent and do not sum to 1.

        Raises
        ------
        UnknownFrameError
            ``frame_set`` is not a set of the model (the message names the available sets).
        ValueError
            ``frame_set`` is None and the model has no frame set, or several.

        Examples
        --------
        >>> import framing
        >>> schema = framing.Schema.from_dict({
        ...     "tasks": {"frame_economic": {"type": "binary", "classes": [False, True]},
        ...               "frame_political": {"type": "binary", "classes": [False, True]}},
        ...     "frame_sets": {"policy": {"frames": {"economic": "frame_economic", "political": "frame_political"}}}})
        >>> rows = [("Prices rose again.", True, False), ("The senator lost the vote.", False, True),
        ...         ("Wages fell sharply.", True, False), ("The party won the election.", False, True)]
        >>> data = [framing.LabeledSentence(text, {"frame_economic": e, "frame_political": p}, article=f"a{i}")
        ...         for i, (text, e, p) in enumerate(rows * 3)]
        >>> model = framing.train(data, schema=schema, calibration=None, block_selection=False)
        >>> p = model.predict_frames(["Prices and wages rose."])
        >>> p.shape, bool(p[0, 0] > p[0, 1])
        ((1, 2), True)
        """
        chosen = self._frame_set(frame_set)
        texts = self._check_sentences(sentences)
        if not texts:
            return np.zeros((0, len(chosen.tasks)))
        return self._frame_probabilities(transform_in_batches(self.features, texts), chosen)

    def _frame_probabilities(self, X, frame_set: FrameSet) -> np.ndarray:
        """``(n, k)`` P(True) of the set's binary tasks: one product with the set's stacked columns."""
        columns = np.concatenate([np.arange(*self._bounds[task]) for task in frame_set.tasks])
        logits = np.asarray(X @ self._stacked_coef[:, columns]) + self._stacked_intercept[columns]
        out = np.empty((logits.shape[0], len(frame_set.tasks)))
        start = 0
        for k, task in enumerate(frame_set.tasks):
            head = self.heads[task]
            width = len(head.classes)
            true = next(i for i, c in enumerate(head.classes) if same_label(c, True))
            out[:, k] = softmax(logits[:, start:start + width] / head.temperature)[:, true]
            start += width
        return out

    def relative_coef(self, task: str) -> np.ndarray:
        """``(n_classes, n_features)``: each class's weights minus the mean of the other classes', over T.

        A feature value times this is its contribution to the class's logit
        relative to the other classes, so a feature that raises every class
        equally counts 0. Computed once per task and kept.
        """
        if task not in self._relative:
            head = self._head(task)
            self._relative[task] = relative_coef(head.coef, head.temperature)
        return self._relative[task]

    def _stacked_relative(self) -> tuple[np.ndarray, dict[str, int]]:
        """Every task's :meth:`relative_coef` stacked (one row per class) and each task's first row in it.

        Built once; each task's :meth:`relative_coef` is then a view of its rows (the same values, kept once).
        """
        if "_relative_stack" not in self.__dict__:
            # The tasks come first in the stacked coefficients, so their rows here are their columns there.
            first_row = {task: self._bounds[task][0] for task in self.tasks}
            stacked = np.vstack([self.relative_coef(task) for task in self.tasks]) if self.tasks else np.zeros((0, self.n_features))
            for task in self.tasks:
                self._relative[task] = stacked[slice(*self._bounds[task])]
            self.__dict__["_relative_stack"] = (stacked, first_row)
        return self.__dict__["_relative_stack"]

    def score_sentences(self, sentences: Sequence[str], cues: bool = True) -> ScoredSentences:
        """Every task's probabilities for ``sentences`` with the features, exact contributions and cues.

        One feature extraction and one sparse product for all tasks; the
        boilerplate decision (head and shape prior) is made here, once.
        """
        texts = self._check_sentences(sentences)
        X = transform_in_batches(self.features, texts) if texts else None
        if X is None:
            probabilities = {name: np.zeros((0, len(self.heads[name].classes))) for name in self._order}
        else:
            probabilities = self._probabilities(X, texts)
        lexicon = self.features.named_transformers["lexicon"] if cues else None
        return ScoredSentences(
            texts=texts,
            tasks=self.tasks,
            classes={name: self.heads[name].classes for name in self._order},
            probabilities=probabilities,
            X=X,
            feature_names=self.feature_names,
            relative_coef={name: self.relative_coef(name) for name in self._order},
            cues=[sentence_cues(lexicon, text) for text in texts] if lexicon is not None else [[] for _ in texts],
            mention_columns=self._mention_columns(),
            boilerplate=self._boilerplate_column(probabilities, len(texts)),
        )

    def _boilerplate_column(self, probabilities: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        if BOILERPLATE not in probabilities:
            return np.zeros(n)
        return probabilities[BOILERPLATE][:, list(self.heads[BOILERPLATE].classes).index(True)]

    def _score_units(self, texts: list[str], evidence: int, chunk_units: int, voices: Sequence | None = None) -> ScoredArticle:
        """Score an article's units chunk by chunk: each unit featurised once, no feature matrix of the whole text.

        ``voices`` (one :class:`framing.voice.UnitVoice` per unit, from the article) reach the ``voice`` block
        with the units; a unit that is part quotation and part the author's words is also scored as its two
        parts, so that the report can keep the author's rates apart from the quoted speakers'.
        """
        tasks = self.tasks
        stacked, first_row = self._stacked_relative()
        gathered = ArticleEvidence(tasks, {task: self.heads[task].classes for task in tasks}, stacked, first_row,
                                    self.feature_names, evidence)
        lexicon = self.features.named_transformers["lexicon"]
        mentions_at = self._mention_columns()
        # Zero-length parts first, so that a text without units gives empty arrays of the right shapes.
        parts: dict[str, list[np.ndarray]] = {task: [np.zeros((0, len(self.heads[task].classes)))] for task in tasks}
        boilerplate, cues, mentions = [np.zeros(0)], [], [np.zeros(0)] if len(mentions_at) else []
        # The two parts of each unit that mixes quotation and the author's words ride in the same transform
        # as the units (one pass over the union per chunk; its fixed cost is most of a small chunk's time).
        voice_parts: dict[str, dict[str, list[np.ndarray]]] = {
            part: {task: [np.zeros((0, len(self.heads[task].classes)))] for task in tasks} for part in ("author", "quoted")}
        mixed: list[int] = []
        for offset in range(0, len(texts), chunk_units):
            chunk = texts[offset:offset + chunk_units]
            n = len(chunk)
            if voices is None:
                items, part_texts = chunk, []
            else:
                chunk_voices = voices[offset:offset + n]
                items = [_VoicedUnit(text, voice) for text, voice in zip(chunk, chunk_voices)]
                here = [k for k, voice in enumerate(chunk_voices) if voice.voice == "mixed"]
                mixed.extend(offset + k for k in here)
                part_texts = ([chunk_voices[k].author_text(chunk[k]) for k in here]
                              + [chunk_voices[k].quoted_text(chunk[k]) for k in here])
            # A part is scored for its words; its quotation structure is the unit's, already found.
            part_items = [_VoicedUnit(text, _PLAIN_VOICE) for text in part_texts]
            X = transform_in_batches(self.features, items + part_items if part_items else items)
            probabilities = self._probabilities(X, chunk + part_texts if part_texts else chunk)
            if part_texts:
                m = len(part_texts) // 2
                for task in tasks:
                    voice_parts["author"][task].append(probabilities[task][n:n + m])
                    voice_parts["quoted"][task].append(probabilities[task][n + m:])
                probabilities = {task: p[:n] for task, p in probabilities.items()}
                X = X[:n]
            decided = self._boilerplate_column(probabilities, n)
            for task in tasks:
                parts[task].append(probabilities[task])
            boilerplate.append(decided)
            cues.extend(sentence_cues(lexicon, text) for text in chunk)
            if len(mentions_at):
                mentions.append(np.asarray(X[:, mentions_at].sum(axis=1)).ravel())
            gathered.add(offset, X, probabilities, np.flatnonzero(decided < BOILERPLATE_THRESHOLD))
            del X  # the chunk's features end here
        voice_fields = {} if voices is None else {
            "voices": list(voices), "part_rows": np.asarray(mixed, dtype=np.intp),
            "part_probabilities": {part: {task: np.concatenate(rows) for task, rows in by_task.items()}
                                   for part, by_task in voice_parts.items()}}
        return ScoredArticle(
            tasks=tasks,
            classes={task: self.heads[task].classes for task in tasks},
            probabilities={task: np.concatenate(part) for task, part in parts.items()},
            boilerplate=np.concatenate(boilerplate),
            cues=cues,
            side_mentions=np.concatenate(mentions) if mentions else None,
            **gathered.finish(),
            **voice_fields,
        )

    def voices(self, text: str, units: Sequence | None = None) -> list:
        """Whose words each unit of ``text`` is: one :class:`framing.voice.UnitVoice` per unit.

        Quotation marks (rules), the cue and source phrase (the model's learned tagger, when it has a
        ``voice`` block) and the speaker of each quotation, across sentences and paragraphs.

        Examples
        --------
        >>> import framing
        >>> [v.voice for v in framing.load().voices('Talks began. She added: "We are tired."')]
        ['author', 'mixed']
        """
        units = segment(text) if units is None else units
        block = self.features.named_transformers.get("voice")
        return voice_of_article(text, units, getattr(block, "tagger", None))

    def _mention_columns(self) -> np.ndarray:
        # Found once per model: scanning every feature name per article would cost more than scoring it.
        if "_mentions" not in self.__dict__:
            self.__dict__["_mentions"] = mention_columns(self.feature_names)
        return self.__dict__["_mentions"]

    def contributions(self, X_row, task: str, class_index: int, top: int = 5) -> list[tuple[str, float]]:
        """The features that raise ``class_index``'s logit most for one feature row (coefficient x value / T)."""
        row = X_row.tocsr() if hasattr(X_row, "tocsr") else X_row
        if row.nnz == 0 or top <= 0:
            return []
        contribution = self.relative_coef(task)[class_index, row.indices] * row.data
        order = np.argsort(-contribution, kind="stable")[:top]
        names = self.feature_names
        return [(str(names[row.indices[i]]), float(contribution[i])) for i in order if contribution[i] > 0]

    def explain(self, sentence: str, task: str, evidence: int = 5, *, top: int | None = None) -> dict[str, Any]:
        """Why a sentence got its label: predicted class, probabilities and top contributing features.

        Parameters
        ----------
        sentence : str
        task : str
        evidence : int, default=5
            How many features to list (the same name as in :meth:`score`).
        top : int, optional
            Deprecated alias of ``evidence``.

        Returns
        -------
        dict
            ``task``, ``class``, ``probabilities`` (as :meth:`predict_proba`
            gives them: for ``"boilerplate"`` the decision with the shape prior)
            and ``features``, the features that raise the class's logit most
            (for ``"boilerplate"``, the head's; the prior is not a feature).

        Examples
        --------
        >>> import framing
        >>> why = framing.load().explain("The corrupt Kyiv regime refused.", "loaded")
        >>> sorted(why)
        ['class', 'features', 'probabilities', 'task']
        """
        if top is not None:
            import warnings

            warnings.warn("explain(top=) is deprecated; use evidence=", DeprecationWarning, stacklevel=2)
            evidence = top
        head = self._head(task)
        X = self.transform([sentence])
        probabilities = self._task_probabilities(X, [sentence], task)[0]
        best = int(probabilities.argmax())
        return {
            "task": task,
            "class": head.classes[best],
            "probabilities": {class_key(c): float(p) for c, p in zip(head.classes, probabilities)},
            "features": self.contributions(X[0], task, best, evidence),
        }

    # ------------------------------------------------------------------ articles
    @property
    def axis(self) -> dict[str, Any] | None:
        """The slant axis the model was trained with (its ``stance`` block's), as plain data; None without one."""
        block = self.features.named_transformers.get("stance")
        axis = getattr(block, "axis", None)
        return None if axis is None else dict(axis)

    def stance_toward(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]],
                      quoted: Sequence[bool] | None = None) -> np.ndarray:
        """The stance of each sentence toward the mention at its span: shape (n, 3) over :data:`STANCE_CLASSES`.

        Parameters
        ----------
        sentences : sequence of str
        spans : sequence of (int, int)
            ``spans[i]`` are the character offsets of the mention in ``sentences[i]``.
        quoted : sequence of bool, optional
            ``quoted[i]`` says the mention stands in a quotation or reported speech (default all False).

        Returns
        -------
        numpy.ndarray
            Rows sum to 1; columns ``("unfavourable", "neutral", "favourable")``.

        Examples
        --------
        >>> import framing
        >>> p = framing.load().stance_toward(["Critics condemned the corrupt mayor Jane Roe for the scandal."], [(36, 44)])
        >>> p.shape, framing.STANCE_CLASSES[int(p.argmax())]
        ((1, 3), 'unfavourable')
        """
        items = check_mentions(sentences, spans, quoted)
        if self.target_stance is None:
            raise ValueError(NO_STANCE_COMPONENT)
        if not items:
            return np.zeros((0, len(STANCE_CLASSES)))
        return self.target_stance.predict_proba(items)

    def _mention_finder(self, axis: Mapping[str, Any] | None, spellings: tuple[str, ...]) -> MentionFinder:
        # One finder per axis and spellings (its matchers are built once); the model's own is kept.
        key = (id(axis) if axis is not None else None, spellings)
        cached = self.__dict__.get("_finder")
        if cached is not None and cached[0] == key and cached[1] is axis:
            return cached[2]
        finder = MentionFinder(axis, spellings)
        self.__dict__["_finder"] = (key, axis, finder)
        return finder

    def score(self, text: str, evidence: int = 3, actors: Any = (), axis: Any = None) -> ArticleReport:
        """Score an article: segment, drop boilerplate, score every sentence, aggregate with evidence.

        Parameters
        ----------
        text : str
            The article (plain text; HTML markup is not stripped).
        evidence : int, default=3
            How many sentences and features to keep as evidence per score.
        actors : sequence, optional
            Actors whose stance the report gives (:meth:`ArticleReport.actor_stance`, ``to_dict()["actors"]``):
            each a spelling, a list of spellings of one actor, or ``"Donald Trump|Trump"``. Every capitalised
            name is scored anyway; spellings named here are scored wherever they occur, in any case.
        axis : path or dict, optional
            An axis file or document (:func:`framing.features.load_axis`) to use instead of the model's own for
            ``axis_stance`` and ``slant_index`` (for example ``labeled/axis_us_parties.json``).

        Returns
        -------
        ArticleReport

        Examples
        --------
        >>> import framing
        >>> report = framing.load().score("")
        >>> report.n_sentences, report.slant_index
        (0, None)
        """
        if not isinstance(text, str):
            raise TypeError(f"score() expects the article text as str, got {type(text).__name__}")
        if isinstance(evidence, bool) or not isinstance(evidence, (int, np.integer)) or evidence < 0:
            raise ValueError(f"evidence must be an integer >= 0 (how many sentences and features to keep), got {evidence!r}")
        groups = spelling_groups(actors)
        report_axis = axis_document(axis) if axis is not None else self._own_axis()
        units = segment(text)
        voices = self.voices(text, units)
        # A text longer than SCORE_CHUNK_UNITS is scored in chunks of that many units: the same report,
        # with memory bounded by the chunk (the report gets arrays, never a feature matrix).
        article = self._score_units([unit.text for unit in units], int(evidence), SCORE_CHUNK_UNITS, voices=voices)
        if self.target_stance is not None:
            finder = self._mention_finder(report_axis, tuple(s for group in groups for s in group))
            rows = np.flatnonzero(article.boilerplate < BOILERPLATE_THRESHOLD)
            # An axis passed here has no measurement of its own: the report says so (axis_measured).
            article = dataclasses.replace(article, axis=report_axis, axis_measured=axis is None,
                                          mentions=score_article_mentions(self.target_stance, units, voices, rows, finder))
        elif groups or axis is not None:
            raise ValueError(NO_STANCE_COMPONENT)
        return build_report(units, article, polar=self.schema.polarity, model_info=self._report_metadata(),
                            reliability=self.reliability(), actors=groups or None,
                            frame_sets={frame_set.name: frame_set for frame_set in self.frame_sets})

    def _own_axis(self) -> dict[str, Any] | None:
        if "_axis" not in self.__dict__:
            self.__dict__["_axis"] = self.axis
        return self.__dict__["_axis"]

    def reliability(self) -> dict[str, dict[str, Any]]:
        """Measured out-of-domain skill per task, from ``metadata["evaluation"]`` (empty when not measured).

        ``{task: {"reliable": bool, "metric": str, "value": float, "protocol": str, ...}}``; see
        :func:`framing.report._reliability.assess` for the rule. ``"target_stance"`` is the stance toward a
        mention (:meth:`stance_toward`), ``"slant"`` the model's own slant axis.
        """
        evaluation = self.metadata.get("evaluation") or {}
        known = set(self.tasks) | ({TARGET_STANCE} if self.target_stance is not None else set())
        return {task: dict(info) for task, info in (evaluation.get("tasks") or {}).items() if task in known}

    def _report_metadata(self) -> dict[str, Any]:
        return {
            "framing_version": self.metadata.get("framing_version"),
            "training_data_sha256": self.metadata.get("training_data_sha256"),
            "lexicon_sha256": self.metadata.get("lexicon_sha256"),
        }

    def score_many(self, texts: Iterable[str], n_jobs: int = 1, chunk_size: int = 64,
                   evidence: int = 3) -> Iterator[ArticleReport]:
        """Score many articles lazily, in input order, with bounded memory.

        Parameters
        ----------
        texts : iterable of str
            Consumed lazily; at most ``n_jobs * chunk_size`` articles are held at once.
        n_jobs : int, default=1
            Worker processes (joblib, loky backend); 1 scores in this process.
        chunk_size : int, default=64
            Articles per task sent to a worker.

        Yields
        ------
        ArticleReport
        """
        yield from score_stream(self, texts, n_jobs=n_jobs, chunk_size=chunk_size, evidence=evidence)

    def cues(self, text: str) -> list[dict[str, Any]]:
        """Lexicon cues found in a sentence, with character offsets, for highlighting."""
        return sentence_cues(self.features.named_transformers["lexicon"], text)

    def save(self, path: str | Path) -> Path:
        """Save as a folder of JSON plus ``.npz`` (no pickle), atomically."""
        return save_model(self, path)


# ---------------------------------------------------------------------- loading

#: Scored once at load time so that a model that cannot score fails here, as a ModelFormatError.
_SMOKE_TEST = 'Officials reportedly said: "The regime may fail," according to 2 U.S. sources.'


def load(path: str | Path | None = None) -> Model:
    """Load a saved model; with no path, the bundled default model.

    Parameters
    ----------
    path : path-like, optional
        A folder written by :meth:`Model.save` or ``framing train``.

    Raises
    ------
    ModelFormatError
        For a missing folder or file, unexpected files (a pickle, say),
        malformed JSON, arrays of the wrong shape or dtype, a symlink leading
        outside the folder, or an incompatible format version.

    Examples
    --------
    >>> import framing
    >>> framing.load().tasks  # doctest: +NORMALIZE_WHITESPACE
    ('loaded', 'hedged', 'attribution', 'stance_russia', 'stance_ukraine', 'stance_us', 'stance_europe', 'slant',
     'frame_economic', 'frame_capacity_and_resources', 'frame_morality', 'frame_fairness_and_equality',
     'frame_legality_constitutionality_jurisprudence', 'frame_policy_prescription_and_evaluation',
     'frame_crime_and_punishment', 'frame_security_and_defense', 'frame_health_and_safety', 'frame_quality_of_life',
     'frame_cultural_identity', 'frame_public_opinion', 'frame_political', 'frame_external_regulation_and_reputation')
    >>> framing.load("no/such/model")
    Traceback (most recent call last):
    ...
    framing.model._persist.ModelFormatError: model folder not found: no/such/model
    """
    if path is None:
        with resources.as_file(resources.files("framing.model.default")) as folder:
            return _load_folder(Path(folder))
    return _load_folder(Path(path))


def _load_folder(folder: Path) -> Model:
    parts = read_model(folder)
    with malformed_as_format_error(folder):
        model = Model(*parts)
        model.predict_all([_SMOKE_TEST])
    return model
