"""What users read: scored sentences, the article report, boilerplate, reliability, comparisons and HTML.

The report only reads what the model computed; it never calls the model.
"""

from ._report import ArticleReport, SentenceScore, SentenceTable
from ._scored import ScoredSentences

__all__ = ["ArticleReport", "SentenceScore", "SentenceTable", "ScoredSentences"]
