"""Labelled data and input files: the corpus and its schema, tables, article files, the labelling loop.

The schema is the contract: tasks, classes, the polar task and its axis come
from data files, and nothing downstream hard-codes a task or a side.
"""

from ._corpus import (
    Article,
    ArticleConflictError,
    Corpus,
    CorpusError,
    CorpusIssue,
    LabeledSentence,
    PolarSpec,
    Schema,
    Span,
    TableError,
    TaskSpec,
    append_sentences,
    infer_schema,
    load_schema,
    read_articles,
    read_corpus,
    read_table,
    validate_corpus,
)
from ._input import ArticleText, BinaryInputError, InputTextError, MarkupInputError, read_article
from ._io import BadRecord, Record, iter_records, read_article_file

__all__ = [
    "TaskSpec",
    "Schema",
    "PolarSpec",
    "Span",
    "LabeledSentence",
    "Article",
    "Corpus",
    "CorpusIssue",
    "CorpusError",
    "ArticleConflictError",
    "TableError",
    "load_schema",
    "read_corpus",
    "validate_corpus",
    "append_sentences",
    "read_table",
    "read_articles",
    "infer_schema",
    "ArticleText",
    "InputTextError",
    "BinaryInputError",
    "MarkupInputError",
    "read_article",
    "read_article_file",
    "Record",
    "BadRecord",
    "iter_records",
]
