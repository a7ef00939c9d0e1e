"""Small helpers shared by several modules, each defined once.

Nothing here imports another framing module except :mod:`framing.errors`, so
every module may use these.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "bootstrap_interval",
    "BOILERPLATE",
    "BOILERPLATE_THRESHOLD",
    "class_key",
    "same_label",
    "label_index",
    "is_boilerplate",
    "polar_index",
    "record_poles",
    "atomic_write",
    "fsync_directory",
    "iter_jsonl",
]

#: Name of the auxiliary head that recognises site furniture.
BOILERPLATE = "boilerplate"

#: A unit whose boilerplate probability is at least this is site furniture: shown, never scored.
BOILERPLATE_THRESHOLD = 0.5


def class_key(value: Any) -> str:
    """JSON key of a class: ``"true"``/``"false"`` for binary classes, the name otherwise.

    Examples
    --------
    >>> class_key(True), class_key("pro_ukraine")
    ('true', 'pro_ukraine')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def same_label(a: Any, b: Any) -> bool:
    """Equal and of the same type: ``1`` is not ``True`` (bool is a subclass of int).

    >>> same_label(True, 1), same_label(True, True)
    (False, True)
    """
    return type(a) is type(b) and a == b


def label_index(value: Any, classes: Sequence[Any]) -> int:
    """Position of ``value`` in ``classes`` by :func:`same_label`, or -1 when it is not one of them."""
    for index, cls in enumerate(classes):
        if same_label(value, cls):
            return index
    return -1


def is_boilerplate(probability: float) -> bool:
    """Whether a unit with this boilerplate probability is left out of the scores."""
    return probability >= BOILERPLATE_THRESHOLD


def polar_index(probabilities: Any, negative: Any, positive: Any) -> Any:
    """``P(positive pole) - P(negative pole)``, in [-1, 1]: the lean of a sentence towards a pole.

    ``probabilities`` is an array (rows of sentences; ``negative`` and
    ``positive`` are column indices) or one sentence's ``{class key: p}``
    mapping (they are class keys; a missing class counts 0). The slant index
    of an article is the mean of this over its scored sentences.

    >>> import numpy as np
    >>> polar_index(np.array([[0.7, 0.2, 0.1]]), 0, 2).round(2).tolist()
    [-0.6]
    >>> round(polar_index({"pro_russia": 0.1, "pro_ukraine": 0.6}, "pro_russia", "pro_ukraine"), 2)
    0.5
    """
    if isinstance(probabilities, Mapping):
        return probabilities.get(positive, 0.0) - probabilities.get(negative, 0.0)
    return probabilities[..., positive] - probabilities[..., negative]


def record_poles(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(negative, positive)`` class keys of a report record's polar task, or None without one.

    Records written before reports carried ``polar`` take the first and last
    class of ``slant_task``, as the slant index then did.
    """
    polar = record.get("polar")
    if polar:
        return class_key(polar["negative"]), class_key(polar["positive"])
    task = record.get("slant_task")
    classes = (record.get("classes") or {}).get(task) if task else None
    if classes:
        return classes[0], classes[-1]
    return None


def fsync_directory(folder: str | os.PathLike) -> None:
    """Flush a folder's entry table to disk (best effort: not every platform allows it)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def atomic_write(path: str | os.PathLike, content: str | Iterable[str], newline: str | None = "\n",
                 mode: int | None = None) -> None:
    """Write text to ``path`` atomically: a temporary file beside it, fsync, rename, fsync the folder.

    A crash at any point leaves either the old file or the new one, never a
    half-written file. ``content`` is a string or an iterable of strings
    (written one after the other, so a large file need not be held at once).
    ``mode`` sets the permissions of the new file (default: as ``mkstemp``, 0o600).
    """
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline=newline) as handle:
            if isinstance(content, str):
                handle.write(content)
            else:
                for piece in content:
                    handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
        fsync_directory(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def iter_jsonl(lines: Iterable[bytes], encoding: str = "utf-8") -> Iterator[tuple[int, Any, Exception | None]]:
    """Parse JSON Lines one line at a time, so that one bad line is reported with its number.

    Yields ``(line number, value, None)`` for each non-blank line that parses
    (a leading byte-order mark is dropped), and ``(line number, raw line,
    error)`` for one that does not: the error is the ``UnicodeDecodeError``,
    ``json.JSONDecodeError`` or ``RecursionError`` (nested too deeply). Blank
    lines are skipped. Callers word the messages and check the value's type.
    """
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError as error:
            yield number, raw, error
            continue
        if number == 1 and line.startswith("\ufeff"):
            line = line[1:]
        if not line.strip():
            continue
        try:
            yield number, json.loads(line.rstrip("\r\n")), None
        except (json.JSONDecodeError, RecursionError) as error:
            yield number, line, error


def read_json_file(path: str | os.PathLike, error: type[Exception], what: str) -> Any:
    """The JSON document in ``path``; ``error("PATH: WHAT not found")`` or ``error("PATH: not JSON: ...")`` otherwise.

    Examples
    --------
    >>> read_json_file("missing.json", ValueError, "recipe file")
    Traceback (most recent call last):
    ...
    ValueError: missing.json: recipe file not found
    """
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise error(f"{path}: {what} not found")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as caught:
        raise error(f"{path}: not JSON: {caught}") from None


def bootstrap_interval(values, level: float = 0.95, n_resamples: int = 2000, seed: int = 0, *,
                       statistic=None) -> tuple[float, float] | None:
    """Percentile bootstrap interval of a statistic (the mean by default), numpy-seeded; None when undefined.

    The one bootstrap of the package: the slant interval of a report and a
    profile (the mean of ``values``) and the macro-F1 intervals of
    :func:`framing.evaluate` (``statistic`` over paired arrays) both use it.

    Parameters
    ----------
    values : sequence of float, or sequence of arrays when ``statistic`` is given
        The sample; with ``statistic``, equal-length arrays resampled together (paired rows).
    level : float, default=0.95
        Confidence level of the two-sided percentile interval.
    n_resamples : int, default=2000
        Resamples (0 gives None).
    seed : int, default=0
        Seed of ``numpy.random.default_rng``: the same seed gives the same interval.
    statistic : callable, optional
        ``statistic(*resampled, axis=-1)``, vectorised over the leading axis of resamples.

    Returns
    -------
    (low, high) or None
        None for fewer than 2 rows, no resamples, or an interval that is not finite.

    Examples
    --------
    >>> bootstrap_interval([0.1]) is None
    True
    >>> low, high = bootstrap_interval([0.1, 0.2, 0.3, 0.4], seed=1)
    >>> 0.1 <= low <= 0.25 <= high <= 0.4
    True
    """
    # numpy is imported here, not at module level: the CLI imports this module and `framing --help` stays light.
    import numpy as np

    samples = [np.asarray(values, dtype=float)] if statistic is None else [np.asarray(v) for v in values]
    n = len(samples[0])
    if n < 2 or n_resamples <= 0:
        return None
    if statistic is None:
        def statistic(sample, axis=-1):
            return sample.mean(axis=axis)
    rng = np.random.default_rng(seed)
    estimates = np.empty(n_resamples)
    # Resample in blocks so that memory stays small for large samples (the same draws as one block:
    # scipy.stats.bootstrap, which this replaced in framing.evaluate, draws rows the same way).
    block = max(1, min(n_resamples, 2_000_000 // n))
    for first in range(0, n_resamples, block):
        last = min(n_resamples, first + block)
        rows = rng.integers(0, n, size=(last - first, n))
        estimates[first:last] = statistic(*[sample[rows] for sample in samples], axis=-1)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(estimates, [alpha, 1.0 - alpha])
    if not (np.isfinite(low) and np.isfinite(high)):
        return None
    return float(low), float(high)
