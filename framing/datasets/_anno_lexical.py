"""anno-lexical (Horych et al. 2025): news sentences labelled for lexical bias by LLM annotators (parquet files)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ..data._schema import LabeledSentence
from ._base import DatasetMissing, _require_file

#: The splits, each one parquet file ``anno-lexical/<split>.parquet``.
ANNO_SPLITS = ("train", "dev", "test")


def read_parquet_columns(paths: Sequence[Path], columns: Sequence[str]) -> Iterator[dict[str, list]]:
    """Each parquet file's ``columns`` as ``{column: values}``, one file at a time (needs pyarrow)."""
    try:
        import pyarrow.parquet as parquet
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise DatasetMissing("anno-lexical: reading parquet files needs pyarrow (pip install 'framing[data]')") from error
    for path in paths:
        yield parquet.read_table(path, columns=list(columns)).to_pydict()


def anno_lexical_sentences(root: Path) -> list[LabeledSentence]:
    """The train, dev and test parquet files as training sentences labelling ``loaded`` only."""
    paths = [_require_file("anno-lexical", root / "anno-lexical" / f"{split}.parquet") for split in ANNO_SPLITS]
    sentences = []
    for path, table in zip(paths, read_parquet_columns(paths, ["text", "source_name", "label", "sentence_id"])):
        for line, (text, outlet, label, sentence_id) in enumerate(
            zip(table["text"], table["source_name"], table["label"], table["sentence_id"]), start=1
        ):
            if label not in (0, 1):
                raise ValueError(f"{path}: row {line}: label must be 0 or 1, got {label!r}")
            if not isinstance(text, str) or not text.strip():
                continue
            sentences.append(
                LabeledSentence(
                    text=text.strip(),
                    labels={"loaded": bool(label)},
                    article=f"anno-lexical:{sentence_id}",
                    source=outlet or None,
                )
            )
    return sentences
