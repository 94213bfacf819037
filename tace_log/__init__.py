"""TACE Log: the Qt-free core. Everything a clinician's data needs, usable from the CLI and from tests."""

__version__ = "0.1.0"
