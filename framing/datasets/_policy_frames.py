"""The Policy Frames the frame sources label, and the one rule that turns a sentence's frames into binary labels.

The frames are the Policy Frames Codebook categories (Boydstun et al. 2014) as
the seed schema's ``frame`` classes name them, without ``other``; each is the
binary task ``frame_<name>`` of the schema's ``policy`` frame set. The sources
that label them (``frame-labels``, ``frac``) carry these task names, as
``ukraine-news-bias`` carries ``slant``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["POLICY_FRAMES", "FRAME_TASK_PREFIX", "POLICY_FRAME_TASKS", "frame_task", "binary_frame_labels"]

#: The 14 Policy Frames, in the order of the seed schema's ``frame`` classes (and of its ``policy`` frame set).
POLICY_FRAMES: tuple[str, ...] = (
    "economic",
    "capacity_and_resources",
    "morality",
    "fairness_and_equality",
    "legality_constitutionality_jurisprudence",
    "policy_prescription_and_evaluation",
    "crime_and_punishment",
    "security_and_defense",
    "health_and_safety",
    "quality_of_life",
    "cultural_identity",
    "public_opinion",
    "political",
    "external_regulation_and_reputation",
)

#: The binary task of a frame is this prefix + the frame's name.
FRAME_TASK_PREFIX = "frame_"


def frame_task(frame: str) -> str:
    """The binary task of ``frame``.

    Examples
    --------
    >>> frame_task("economic")
    'frame_economic'
    """
    return FRAME_TASK_PREFIX + frame


#: The binary tasks of the 14 Policy Frames, in :data:`POLICY_FRAMES` order.
POLICY_FRAME_TASKS: tuple[str, ...] = tuple(frame_task(frame) for frame in POLICY_FRAMES)


def binary_frame_labels(present: Iterable[str], coded: Sequence[str] = POLICY_FRAMES) -> dict[str, bool]:
    """One sentence's binary frame labels: True for the frames ``present``, False for the other ``coded`` ones.

    ``coded`` are the frames the annotation decided on (in the order the labels
    are given); a frame it leaves out gets no label at all: the sentence does not
    train that frame's task.

    Examples
    --------
    >>> binary_frame_labels(["economic"], coded=["economic", "political"])
    {'frame_economic': True, 'frame_political': False}
    >>> sum(binary_frame_labels([]).values()), len(binary_frame_labels([]))
    (0, 14)
    """
    present = set(present)
    return {frame_task(frame): frame in present for frame in coded}
