"""Boilerplate decision benchmark: the head alone against the head with the shape prior (framing.report._boilerplate).

Usage::

    python benchmarks/bench_boilerplate.py                 # bundled model, seed corpus labeled/
    python benchmarks/bench_boilerplate.py --model models/mine --corpus my-corpus/

Measures, at the 0.5 threshold, with and without the prior:

* the seed corpus in-sample (the bundled model was trained on it);
* the seed corpus leave-one-article-out (the boilerplate head retrained on
  four articles and applied to the fifth: furniture of an unseen site);
* two held-out lists written for this benchmark and never trained on: short
  real news sentences, and site furniture of other sites. The first pair of
  lists was looked at while the furniture phrases were chosen; the "fresh"
  pair was written afterwards and not tuned on.

Prints a Markdown table. Model-free apart from the bundled model; takes a few seconds.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]

SHORT_REAL = [
    "Café owners were furious.", "Prices rose again.", "The talks failed.", "Nobody was hurt.", "Kyiv said no.",
    "He denied it.", "The vote was close.", "Shops stayed shut.", "It rained all day.", "The plan was leaked.",
    "Both sides agreed.", "Moscow rejected the offer.", "Turnout was low.", "The deal collapsed.", "Police made three arrests.",
    "Schools reopened on Monday.", "The ceasefire held.", "Markets fell sharply.", "She resigned on Friday.",
    "Talks resume next week.", "Farmers are angry.", "The bridge was destroyed.", "Critics called it a stunt.",
    "Residents fled the town.", "The minister declined to comment.", "It was not the first time.", "Exports doubled.",
    "The army withdrew.", "Few believed him.", "Thank you, he said.",
]
FURNITURE = [
    "Sign up for our newsletter", "Share on Facebook", "Advertisement", "Read more", "© 2025 Reuters. All rights reserved.",
    "Cookie settings", "Log in", "Subscribe now", "Follow us on Twitter", "Photo: AFP", "Most read", "Skip to main content",
    "Share this article", "Related articles", "Click here to comment", "Terms of use | Privacy policy", "Back to top",
    "Listen to this article", "Support independent journalism", "Sign in to comment", "More from World",
    "Watch: live coverage", "Tags: Ukraine, Russia, USA", "Download our app", "Newsletter", "Print this page",
    "Email this story", "Trending now", "Contact us", "Read next",
]
FRESH_REAL = [
    "Gas prices jumped overnight.", "The strike ended on Tuesday.", "Voters stayed home.", "The mayor apologised.",
    "Two soldiers were wounded.", "Rescuers worked through the night.", "The court adjourned.", "Inflation eased slightly.",
    "Neighbours heard shouting.", "The airport reopened.", "Diplomats left early.", "Share prices recovered.",
    "Nobody claimed responsibility.", "The envoy flew home.", "Parliament was dissolved.", "Witnesses disagreed.",
    "Bakeries ran out of flour.", "Talks will continue.", "The border is closed.", "Survivors described chaos.",
]
FRESH_FURNITURE = [
    "Sign up", "Open in app", "Menu", "Search", "World news", "Live updates", "Cookies policy", "Accept all cookies",
    "Get the latest headlines", "Join the conversation", "Share via email", "Copy link", "Image source, Getty Images",
    "Published 3 hours ago", "Don't miss", "Featured", "Top stories", "Manage preferences",
    "Privacy Policy | Terms of Service", "Follow BBC News on Facebook",
]


def _p(model, texts) -> np.ndarray:
    # The head alone: Model.predict_proba(..., "boilerplate") already adds the shape prior, which the caller adds here.
    head = model.heads["boilerplate"]
    return np.asarray(model.classifiers["boilerplate"].predict_proba(list(texts)))[:, list(head.classes).index(True)]


def leave_one_article_out(corpus) -> dict[str, float]:
    import framing

    out: dict[str, float] = {}
    for article in sorted({s.article for s in corpus.sentences}):
        train = [s for s in corpus.sentences if s.article != article]
        test = [s for s in corpus.sentences if s.article == article]
        model = framing.train(train, schema=corpus.schema, tasks=[corpus.schema.task_names[0]], calibration=None)
        for sentence, value in zip(test, _p(model, [s.text for s in test])):
            out[sentence.id] = float(value)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model folder (default: the bundled model)")
    parser.add_argument("--corpus", default=str(REPO / "labeled"), help="labelled corpus with boilerplate units")
    args = parser.parse_args(argv)

    import framing
    from framing.data import read_corpus
    from framing.report._boilerplate import adjust_boilerplate

    model = framing.load(args.model)
    corpus = read_corpus(args.corpus)
    units = corpus.sentences
    texts = [s.text for s in units]
    y = np.array([s.boilerplate for s in units])
    in_sample = _p(model, texts)
    loao = leave_one_article_out(corpus)
    held_out = np.array([loao[s.id] for s in units])
    lists = {name: (values, _p(model, values)) for name, values in
             [("real", SHORT_REAL), ("furniture", FURNITURE), ("fresh_real", FRESH_REAL), ("fresh_furniture", FRESH_FURNITURE)]}
    cafe = "Café owners were furious."
    print("| decision | seed in-sample: furniture caught | content dropped | seed leave-one-article-out: furniture caught "
          "| content dropped | other sites' furniture caught | short real sentences dropped | fresh furniture caught "
          "| fresh real dropped | P(café sentence) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, decide in [("head, threshold 0.5", lambda p, t: np.asarray(p)), ("head + shape prior", adjust_boilerplate)]:
        a, b = decide(in_sample, texts), decide(held_out, texts)
        shown = {key: decide(p, values) for key, (values, p) in lists.items()}
        c = decide(_p(model, [cafe]), [cafe])[0]
        cells = [f"{(a[y] >= .5).sum()}/{y.sum()}", f"{(a[~y] >= .5).sum()}/{(~y).sum()}",
                 f"{(b[y] >= .5).sum()}/{y.sum()}", f"{(b[~y] >= .5).sum()}/{(~y).sum()}",
                 f"{(shown['furniture'] >= .5).sum()}/{len(FURNITURE)}", f"{(shown['real'] >= .5).sum()}/{len(SHORT_REAL)}",
                 f"{(shown['fresh_furniture'] >= .5).sum()}/{len(FRESH_FURNITURE)}",
                 f"{(shown['fresh_real'] >= .5).sum()}/{len(FRESH_REAL)}", f"{c:.2f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
