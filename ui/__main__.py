"""`python -m ui` and the frozen app's entry script."""

from ui.app import run

run()
