"""What users read: scored sentences, the article report, boilerplate, reliability, comparisons and HTML.

The report only reads what the model computed (a :class:`ScoredArticle` of
finished arrays: probabilities, the boilerplate decision, cues, mentions with
their stance, and evidence); it never calls the model, imports neither :mod:`framing.model` nor
:mod:`framing.features`, and holds no feature matrix.
"""

from ._frames import PRESENCE_METHOD, frame_presence
from ._report import ArticleReport
from ._scored import MentionTable, ScoredArticle, ScoredSentences
from ._units import SentenceScore, SentenceTable

__all__ = ["ArticleReport", "SentenceScore", "SentenceTable", "ScoredSentences", "ScoredArticle", "MentionTable",
           "frame_presence", "PRESENCE_METHOD"]
