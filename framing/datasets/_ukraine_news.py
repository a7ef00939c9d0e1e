"""ukraine-news-bias (Färber et al. 2020): news sentences judged by five crowd workers for bias and framing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..data._schema import LabeledSentence
from ._base import _require_dir

UKRAINE_NEWS_STANCES = {"stance_russia": "russia", "stance_ukraine": "ukraine"}
#: A bias vote of 2 or 3 marks the sentence as biased that way (1, by far the most common, is "no bias").
UKRAINE_NEWS_BIAS_VOTE = 2


def ukraine_news_labels(sentence: dict) -> dict[str, str]:
    """Labels of one ukraine-news-bias sentence from its crowd judgements.

    ``slant``: ``pro_russia`` when at least one worker voted it pro-Russia
    (2 or 3) and none pro-West, ``pro_ukraine`` for the reverse (pro-West is
    the Ukrainian side of this axis), else ``neutral``. ``stance_russia`` /
    ``stance_ukraine``: ``unfavourable`` when at least one worker framed that
    government negatively and none positively, ``favourable`` for the
    reverse, else ``neutral``. The threshold of one vote was chosen because
    stronger agreement is too rare to learn from (4 of 1,487 sentences have
    two pro-Russia votes).
    """
    votes = sentence["bias"]["judgements"]
    pro_russia = sum(1 for v in votes.get("pro-russia", []) if v >= UKRAINE_NEWS_BIAS_VOTE)
    pro_west = sum(1 for v in votes.get("pro-west", []) if v >= UKRAINE_NEWS_BIAS_VOTE)
    labels = {"slant": "pro_russia" if pro_russia and not pro_west else "pro_ukraine" if pro_west and not pro_russia
              else "neutral"}
    framing_votes = sentence["framing"]["judgements"]
    for task, government in UKRAINE_NEWS_STANCES.items():
        negative = sum(1 for v in framing_votes.get(government, []) if v < 0)
        positive = sum(1 for v in framing_votes.get(government, []) if v > 0)
        labels[task] = "unfavourable" if negative and not positive else "favourable" if positive and not negative else "neutral"
    return labels


def ukraine_news_sentences(root: Path) -> list[LabeledSentence]:
    """Every article's sentences in order, labelled by :func:`ukraine_news_labels`."""
    folder = _require_dir("ukraine-news-bias", root / "ukraine-news-bias" / "articles")
    sentences = []
    for path in sorted(folder.glob("article_*.json"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0)):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            for sentence in sorted(document["sentences"], key=lambda s: s["position_in_article"]):
                text = str(sentence["content"]).strip()
                if text:
                    sentences.append(LabeledSentence(text=text, labels=ukraine_news_labels(sentence),
                                                     article=f"ukraine-news-bias:{path.stem}",
                                                     position=int(sentence["position_in_article"])))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: unexpected structure ({error!r})") from None
    return sentences
