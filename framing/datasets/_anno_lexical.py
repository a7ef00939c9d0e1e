"""anno-lexical (Horych et al. 2025): news sentences labelled for lexical bias by LLM annotators (parquet files)."""

from __future__ import annotations

from pathlib import Path

from ..data._schema import LabeledSentence
from ._base import DatasetMissing


def anno_lexical_sentences(root: Path) -> list[LabeledSentence]:
    """The train, dev and test parquet files as training sentences labelling ``loaded`` only."""
    folder = root / "anno-lexical"
    paths = [folder / f"{split}.parquet" for split in ("train", "dev", "test")]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DatasetMissing(f"anno-lexical: file not found: {missing[0]}")
    try:
        import pyarrow.parquet as parquet
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise DatasetMissing("anno-lexical: reading parquet files needs pyarrow (pip install 'framing[data]')") from error
    sentences = []
    for path in paths:
        table = parquet.read_table(path, columns=["text", "source_name", "label", "sentence_id"]).to_pydict()
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
