"""Evaluation commands (quality gates over pinned data): ``rasid eval ner GOLD_FILE``."""
