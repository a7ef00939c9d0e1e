"""Package discovery for setuptools; everything else is in pyproject.toml.

The code packages are found, not listed. The bundled default model lives at the
top-level ``models/default/`` (where ``framing train`` writes it) and ships inside
the wheel as the data package ``framing.model.default``; a mapping that
``pyproject.toml`` cannot combine with discovery, hence this file.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["framing", "framing.*"]), "framing.model.default"],
    package_dir={"framing.model.default": "models/default"},
)
