# Makes the bundled default model importable as the package data ``framing.models.default``.
