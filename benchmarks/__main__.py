"""``python -m benchmarks [--data PATH] [--out DIR] [--quick] [--only NAME ...]``: see benchmarks/README.md."""

import os
import sys

# Single-threaded BLAS everywhere (set before numpy is imported): the quality jobs run one per core,
# and the speed numbers are per core.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                  "VECLIB_MAXIMUM_THREADS"):
    os.environ[_variable] = "1"

from ._runner import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
