"""Bundled models, shipped as package data (see ``framing.load``)."""
