"""Small items of issue #14: the weasel loader warns once; classes are Python values, JSON spells them as strings."""

from __future__ import annotations

import json
import logging


def test_weasel_empty_rows_warn_once_per_file(tmp_path, caplog):
    from framing.datasets import _weasel

    path = tmp_path / "wiki-weasel" / "train.csv"
    path.parent.mkdir(parents=True)
    path.write_text('text,label\n"It has three towers .",0\n"",0\n"Some say it may be haunted .",1\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger=_weasel.logger.name):
        first = _weasel.load_weasel(tmp_path)
        second = _weasel.load_weasel(tmp_path)  # the benchmarks read it twice (own run, transfer run)
    assert len(first) == len(second) == 2
    warnings = [r for r in caplog.records if "empty text skipped" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]


def test_binary_classes_are_booleans_in_python_and_strings_in_json():
    import framing

    model = framing.load()
    assert model.classes("loaded") == (False, True)
    record = json.loads(json.dumps(model.score("The corrupt regime reportedly rejected the plan.").to_dict()))
    assert record["classes"]["loaded"] == [False, True] or record["classes"]["loaded"] == ["false", "true"]
    assert set(record["sentences"][0]["probabilities"]["loaded"]) == {"false", "true"}


def test_library_errors_derive_from_framing_error():
    from framing.data import TableError
    from framing.data._input import BinaryInputError, MarkupInputError
    from framing.errors import FramingError

    for error in (TableError, BinaryInputError, MarkupInputError):
        assert issubclass(error, FramingError) and issubclass(error, ValueError)
