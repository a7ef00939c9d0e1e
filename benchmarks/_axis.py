"""The slant axis built from actor stance, measured on whole articles.

Article slant is what :meth:`framing.Model.score` reports: half the
difference between the stance toward the positive pole's actors and toward
the negative pole's, over the author's own words
(:attr:`framing.report.ArticleReport.slant_index`). Two measurements:

- ``axis/ukraine``: the 60 ukraine-news-bias articles we have. The model is
  the shipped one with its target-stance classifier refitted without the
  project's labels on ukraine-news-bias sentences (leave that source out);
  Spearman between the article slant and the crowd's article ratio
  (mean pro-West minus mean pro-Russia judgement), and the ROC AUC of the
  slant for the articles the crowd rates pro-West over pro-Russia;
- ``axis/seeds``: the five seed articles, each scored by a model whose
  target-stance classifier never saw a seed sentence (it is trained on
  NewsMTSC and labels of other data sets only), so every seed article is
  held out; the sign of the slant against the article label.

No text of the data is kept in the results: counts and scores only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ._quality import REPO, Context, Skipped, _r, _row

__all__ = ["run_axis_ukraine", "run_axis_seeds", "ukraine_articles"]

_RECIPE = REPO / "models" / "recipe-default.json"


def _model_with_stance(ctx: Context, exclude: tuple[str, ...] = ()):
    """The shipped model with its target-stance classifier refitted by the recipe, without ``exclude``'s labels."""
    import framing
    from framing.datasets import DatasetMissing
    from framing.model._recipe import fit_target_stance, load_recipe

    recipe = load_recipe(_RECIPE)
    if recipe.target_stance is None:
        raise Skipped("the recipe has no target_stance section")
    model = framing.load()
    try:
        model.target_stance, info = fit_target_stance(recipe.target_stance, ctx.data_root, exclude=exclude)
    except DatasetMissing as error:
        raise Skipped(str(error)) from None
    return model, info


def ukraine_articles(data_root: str) -> list[tuple[str, str, float]]:
    """``(article id, text, crowd ratio)`` of the ukraine-news-bias articles: sentences joined in order."""
    folder = Path(data_root) / "ukraine-news-bias" / "articles"
    if not folder.is_dir():
        raise Skipped(f"ukraine-news-bias not found under {data_root}")
    out = []
    for path in sorted(folder.glob("article_*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        sentences = sorted(document["sentences"], key=lambda s: s["position_in_article"])
        text = " ".join(s["content"].strip() for s in sentences)
        bias = document["bias"]
        ratio = float(bias["pro-west"]["avg"]) - float(bias["pro-russia"]["avg"])
        out.append((path.stem, text, ratio))
    return out


def run_axis_ukraine(ctx: Context) -> dict[str, Any]:
    """Spearman of article slant against the crowd ratio, ukraine-news-bias's own target labels held out."""
    from scipy.stats import spearmanr
    from sklearn.metrics import roc_auc_score

    articles = ukraine_articles(ctx.data_root)
    model, info = _model_with_stance(ctx, exclude=("ukraine-news-bias",))
    slants, ratios, not_applying = [], [], 0
    for _, text, ratio in articles:
        report = model.score(text, evidence=0)
        if report.slant_index is None:
            not_applying += 1
            continue
        slants.append(report.slant_index)
        ratios.append(ratio)
    slants_arr, ratios_arr = np.asarray(slants), np.asarray(ratios)
    spearman = _r(spearmanr(slants_arr, ratios_arr).statistic) if len(slants) > 2 else None
    pro_west = ratios_arr > 0
    auc = _r(roc_auc_score(pro_west, slants_arr)) if 0 < pro_west.sum() < len(pro_west) else None
    sign_right = _r(float(np.mean(np.sign(slants_arr[ratios_arr != 0]) == np.sign(ratios_arr[ratios_arr != 0]))))
    protocol = "shipped model; target stance refitted without the project's ukraine-news-bias labels"
    rows = [
        _row("axis: ukraine-news-bias articles", protocol, "spearman_crowd_ratio", len(slants),
             {"model": {"value": spearman, "ci": None}}),
        _row("axis: ukraine-news-bias articles", protocol, "roc_auc_pro_west", len(slants),
             {"model": {"value": auc, "ci": None}}),
        _row("axis: ukraine-news-bias articles", protocol, "sign_agreement", len(slants),
             {"model": {"value": sign_right, "ci": None}}),
    ]
    details = {"n_articles": len(articles), "axis_applies": len(slants), "does_not_apply": not_applying,
               "spearman_crowd_ratio": spearman, "roc_auc_pro_west": auc, "sign_agreement": sign_right,
               "n_pro_west": int(pro_west.sum()), "target_stance_items": info["n_items"]}
    return {"rows": rows, "details": details,
            "notes": ["crowd ratio: mean pro-west minus mean pro-russia article judgement (ukraine-news-bias 'bias')"]}


def run_axis_seeds(ctx: Context) -> dict[str, Any]:
    """The slant sign of each seed article; the target-stance classifier never trained on a seed sentence."""
    corpus = Path(ctx.corpus)
    model, info = _model_with_stance(ctx)
    expected_sign = {"pro_russia": -1, "pro_ukraine": 1, "neutral": 0}
    per_article, right, judged = {}, 0, 0
    for line in (corpus / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = (corpus / record["path"]).read_text(encoding="utf-8")
        report = model.score(text, evidence=0)
        label = record.get("labels", {}).get("slant")
        slant = report.slant_index
        entry = {"label": label, "slant_index": _r(slant),
                 "interval": None if report.slant_interval is None else [_r(v) for v in report.slant_interval],
                 "axis_stance": {key: {"mentions": side["mentions"], "score": _r(side["score"])}
                                 for key, side in report.axis_stance.items()}}
        if label in ("pro_russia", "pro_ukraine"):
            judged += 1
            entry["sign_right"] = bool(slant is not None and np.sign(slant) == expected_sign[label])
            right += entry["sign_right"]
        per_article[record["id"][:3]] = entry
    rows = [_row("axis: seed articles", "each article held out (the target stance never trained on seeds)",
                 "slant_sign_right", judged, {"model": {"value": _r(right / judged) if judged else None, "ci": None}})]
    return {"rows": rows, "details": {"articles": per_article, "target_stance_items": info["n_items"]}}
