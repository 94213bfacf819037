"""The study's statistics, Qt-free and in the standard library: survival (Kaplan–Meier, log-rank, Cox)."""
