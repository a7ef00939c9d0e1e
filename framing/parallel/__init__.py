"""Scoring many texts: worker processes (:meth:`framing.Model.score_many`) and Dask.

Dask and pandas are imported only when a Dask function is called (the
``dask`` extra).
"""

from ._batch import score_chunk, score_stream
from ._dask import score_bag, score_dataframe, score_partition

__all__ = ["score_stream", "score_chunk", "score_partition", "score_bag", "score_dataframe"]
