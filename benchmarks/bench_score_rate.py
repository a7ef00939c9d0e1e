"""``model.score(text)`` and ``model.score(text).to_dict()`` articles/s on one core.

Usage (pin it to one core, nothing else running)::

    taskset -c 0 python -m benchmarks.bench_score_rate [MODEL_DIR]

200 made-up articles of about 600 words (:func:`benchmarks._synthetic.articles`, seed 3), BLAS on one
thread, best of three passes over all of them after three warm-up articles.
"""

from __future__ import annotations

import sys
import time


def main(argv: list[str] | None = None) -> int:
    from threadpoolctl import threadpool_limits

    import framing

    from ._synthetic import articles

    argv = sys.argv[1:] if argv is None else argv
    threadpool_limits(1)
    model = framing.load(argv[0] if argv else None)
    texts = list(articles(203, words=600, seed=3))
    for text in texts[:3]:
        model.score(text).to_dict()
    for label, run in (("score", model.score), ("to_dict", lambda text: model.score(text).to_dict())):
        best = 0.0
        for _ in range(3):
            started = time.perf_counter()
            for text in texts[3:]:
                run(text)
            best = max(best, (len(texts) - 3) / (time.perf_counter() - started))
        print(f"{label} {best:.1f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
