"""Labelled data and input files: the corpus and its schema, tables, article files, the labelling loop.

The schema is the contract: tasks, classes, the polar task and its axis come
from data files, and nothing downstream hard-codes a task or a side.
"""

from ._input import ArticleText, BinaryInputError, InputTextError, MarkupInputError, read_article
from ._io import BadRecord, Record, iter_records, read_article_file
from ._reading import read_articles, read_corpus, validate_corpus
from ._recipe import RECIPE_CONFIG_DEFAULTS, RECIPE_FORMAT, RECIPE_VERSION, Recipe, RecipeError, RecipeSource, load_recipe
from ._schema import Article, Corpus, CorpusError, CorpusIssue, FrameSet, LabeledSentence, PolarSpec, Schema, Span, TaskSpec, load_schema
from ._tables import TableError, infer_schema, read_table
from ._writing import ArticleConflictError, append_sentences

__all__ = [
    "TaskSpec",
    "Schema",
    "PolarSpec",
    "FrameSet",
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
    "Recipe",
    "RecipeSource",
    "RecipeError",
    "load_recipe",
    "RECIPE_FORMAT",
    "RECIPE_VERSION",
    "RECIPE_CONFIG_DEFAULTS",
]
