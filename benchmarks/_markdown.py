"""Render a benchmark result document (the JSON of ``python -m benchmarks``) as Markdown."""

from __future__ import annotations

from typing import Any

__all__ = ["render"]

SYSTEM_TITLES = (("model", "framing"), ("majority", "majority"), ("lexicon", "lexicon-only"), ("tfidf", "TF-IDF + LR"))


def _cell(value: dict[str, Any] | None) -> str:
    if not value or value.get("value") is None:
        return "–"
    text = f"{value['value']:.3f}"
    if value.get("ci"):
        text += f" [{value['ci'][0]:.2f}, {value['ci'][1]:.2f}]"
    return text


def _number(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _quality(document: dict[str, Any]) -> list[str]:
    lines = ["## Quality", "",
             "Macro-F1 of out-of-fold predictions with a 95% percentile bootstrap interval over sentences; every "
             "system is trained on the same training folds (harvested lexicon terms, vocabularies and weights are "
             "learned inside each training fold only). `framing` is the library's training recipe retrained on the "
             "benchmark's data; `lexicon-only` is framing's lexicon, attribution, hedging and shape features without "
             "n-grams; `TF-IDF + LR` is word 1-2 + char_wb 2-5 TF-IDF with a balanced logistic regression.", ""]
    header = "| benchmark | protocol | metric | n | " + " | ".join(title for _, title in SYSTEM_TITLES) + " |"
    lines += [header, "|" + "---|" * (4 + len(SYSTEM_TITLES))]
    notes: list[str] = []
    any_row = False
    for name, outcome in document["benchmarks"].items():
        if not _is_quality(name):
            continue
        if outcome["status"] != "ok":
            notes.append(f"- **{name}**: {outcome['status']} – {outcome.get('reason', '')}")
            continue
        result = outcome["result"]
        for row in result.get("rows", []):
            any_row = True
            # Transfer rows name the library's system "framing"; the older rows call it "model".
            values = {"model": row["values"].get("framing"), **row["values"]}
            cells = [_cell(values.get(system)) for system, _ in SYSTEM_TITLES]
            lines.append(f"| {row['benchmark']} | {row['protocol']} | {row['metric']} | {row['n']:,} | " + " | ".join(cells) + " |")
        for note in result.get("notes", []):
            notes.append(f"- {name}: {note}")
        notes.append(f"- {name}: {outcome['seconds']:.0f} s")
    if not any_row:
        lines.append("| (no quality benchmark ran) |" + " |" * (3 + len(SYSTEM_TITLES)))
    lines += ["", "Published reference for BABE (5-fold stratified): macro-F1 0.804 for BERT with distant-supervision "
                  "pre-training, 0.814 for DA-RoBERTa (Krieger et al. 2022); expert agreement Krippendorff's alpha 0.419.",
              ""]
    curves = _curves(document)
    if curves:
        lines += curves
    if notes:
        lines += ["Notes:", "", *notes, ""]
    seed = document["benchmarks"].get("seed")
    if seed and seed["status"] == "ok" and seed["result"].get("table"):
        lines += ["### Seed corpus, full evaluation table", "", "```", seed["result"]["table"], "```", ""]
    return lines


def _curves(document: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for name, outcome in document["benchmarks"].items():
        if outcome["status"] != "ok" or not _is_quality(name):
            continue
        details = outcome["result"].get("details") or {}
        for task, evaluation in (details.get("tasks") or {}).items():
            curve = evaluation.get("learning_curve") or []
            if len(curve) < 2:
                continue
            points = ", ".join(
                f"{point['n_train']:.0f}: {point.get('model', 0):.3f}"
                + (f" / {point['tfidf']:.3f}" if point.get("tfidf") is not None else "")
                for point in curve
            )
            lines.append(f"- {name}, {task}: {points}")
    if lines:
        lines = ["Learning curves (mean training sentences per fold: framing macro-F1 / TF-IDF + LR macro-F1):", "",
                 *lines, ""]
    return lines


def _is_quality(name: str) -> bool:
    return name.split("/")[0] in ("seed", "babe", "weasel", "polnear", "voice", "frames", "transfer", "loso", "indomain")


def _speed(document: dict[str, Any]) -> list[str]:
    benchmarks = document["benchmarks"]
    rows: list[str] = []
    skipped: list[str] = []

    def get(name: str) -> dict[str, Any] | None:
        outcome = benchmarks.get(name)
        if outcome is None:
            return None
        if outcome["status"] != "ok":
            skipped.append(f"- **{name}**: {outcome['status']} – {outcome.get('reason', '')}")
            return None
        return outcome["result"]

    throughput = get("throughput")
    if throughput:
        rows.append(f"| sentences/s, one core | {_number(throughput['framing_sentences_per_s'], 0)} "
                    f"(`predict_all`, {len(throughput['framing_tasks'])} tasks) | "
                    f"{_number(throughput['plain_sentences_per_s'], 0)} (1 task) | median of {throughput['repeats']} "
                    f"× {throughput['n_sentences']:,} distinct made-up sentences; plain pipeline trained on "
                    f"{throughput['plain_trained_on']} |")
        rows.append(f"| articles/s, one core (`score`) | {_number(throughput['articles_per_s'], 2)} | – | "
                    f"{throughput['n_articles']} made-up articles of ~{throughput['mean_words_per_article']:.0f} words; "
                    f"median {throughput['median_ms_per_article']} ms per article; the evidence is computed when read |")
        if "articles_per_s_with_to_dict" in throughput:
            rows.append(f"| articles/s, one core (`score(...).to_dict()`) | "
                        f"{_number(throughput['articles_per_s_with_to_dict'], 2)} | – | the same articles with the whole "
                        f"report as data (every unit's evidence, top sentences and terms); median "
                        f"{throughput['median_ms_per_article_with_to_dict']} ms per article |")
    memory = get("memory")
    if memory:
        at = ", ".join(f"{int(k):,}: {v} MB" for k, v in memory["peak_rss_at"].items())
        rows.append(f"| peak RSS streaming {memory['n_articles']:,} articles (`score_many`) | "
                    f"{_number(memory['peak_rss_mb'])} MB | – | {memory['words_per_article']}-word articles; after "
                    f"loading the model {memory['peak_rss_after_load_mb']} MB; peak after {at}; "
                    f"{memory['articles_per_s']} articles/s |")
    size = get("size")
    if size:
        rows.append(f"| model size on disk | {size['bytes'] / 1024 ** 2:.2f} MB | – | `{size['path']}`, "
                    f"{_number(size.get('n_features'))} features, trained on {_number(size.get('n_training_sentences'))} "
                    f"sentences |")
    for name in sorted((n for n in benchmarks if n.startswith("training/")), key=lambda n: (int(n.split("/")[1].split("-")[0]), n)):
        training = get(name)
        if training:
            calibration = "temperature calibration" if training["calibration"] else "calibration=None"
            rows.append(f"| training time, {training['n']:,} sentences, {calibration} | "
                        f"{_number(training['framing_seconds'], 1)} s ({len(training['tasks'])} tasks) | "
                        f"{_number(training['plain_seconds'], 1)} s (1 task) | {training['data']}; "
                        f"{training['n_features']:,} features; peak RSS {training['peak_rss_mb']} MB |")
    recipe = get("recipe-training")
    if recipe:
        n_tasks = len(recipe.get("plain_per_task") or {})
        rows.append(f"| training the shipped recipe | {_number(recipe['framing_seconds'], 1)} s ({n_tasks} tasks and the "
                    f"target stance; {recipe['reading_sources_seconds']} s of it reading the sources) | "
                    f"{_number(recipe['plain_seconds'], 1)} s (the {n_tasks} tasks, one pipeline each) | "
                    f"ratio {recipe['ratio']} (training only); peak RSS {recipe['peak_rss_mb']} MB |")
    evaluate_time = get("evaluate-time")
    if evaluate_time:
        rows.append(f"| `framing evaluate labeled/` (defaults) | {_number(evaluate_time['seconds'], 1)} s | – | "
                    f"{evaluate_time['splitter']}, {evaluate_time['n_folds']} folds, baselines and learning curve |")
    big = get("big-text")
    if big:
        rows.append(f"| `framing score` one {big['megabytes']:g} MB text | {big['summary']['seconds']} s, peak RSS "
                    f"{big['summary']['peak_rss_mb']} MB | – | summary only; with `--json --html`: "
                    f"{big['json_and_html']['seconds']} s, {big['json_and_html']['peak_rss_mb']} MB, page "
                    f"{big['json_and_html']['html_bytes'] / 1e6:.1f} MB (capped at 2,000 units) |")
    cli = get("cli")
    if cli:
        rows.append(f"| CLI cold start `framing --help` | {cli['help_median_s']:.2f} s | – | median of {cli['repeats']} |")
        rows.append(f"| CLI `framing score` one 600-word article | {cli['score_one_article_median_s']:.2f} s | – | "
                    f"median of {cli['repeats']}, fresh process incl. model loading |")
    if not rows and not skipped:
        return []
    how = ("Quick mode: the measurements shared the machine with each other; the numbers only show that the "
           "benchmarks run." if document.get("quick") else
           "Each measurement runs in a fresh process pinned to one core (BLAS threads = 1) after the quality "
           "benchmarks, with nothing else of ours running; the memory run happens during the quality phase "
           "(it measures memory, not time).")
    lines = ["## Speed and memory", "", how, "",
             "| measurement | framing | plain TF-IDF + LR | notes |", "|---|---|---|---|", *rows, ""]
    if skipped:
        lines += ["Not measured:", "", *skipped, ""]
    return lines


def render(document: dict[str, Any]) -> str:
    """The Markdown report of a benchmark run."""
    machine = document["machine"]
    memory = f"{machine['memory_gb']} GB RAM" if machine.get("memory_gb") else "RAM unknown"
    lines = [
        "# framing benchmarks" + (" (quick mode: small subsets, not for comparison)" if document.get("quick") else ""),
        "",
        f"- date: {document['date']}",
        f"- machine: {machine['platform']}, {machine.get('processor') or machine.get('machine')}, "
        f"{machine['cpu_count']} CPUs ({machine.get('usable_cpus')} usable), {memory}, Python {machine['python']}",
        f"- git commit: {document.get('git_commit') or 'none (no commit yet)'}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in document.get("versions", {}).items() if v),
        f"- command: `{document['command']}` ({document['workers']} parallel workers for the quality phase)",
        f"- external data: `{document['data_root']}`",
        f"- total time: {document['seconds'] / 60:.1f} min",
        "",
    ]
    if any(_is_quality(name) for name in document["benchmarks"]):
        lines += _quality(document)
    lines += _speed(document)
    return "\n".join(lines).rstrip() + "\n"
