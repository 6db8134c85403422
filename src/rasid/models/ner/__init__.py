"""Shipped NER model files (package data; see README.md here and docs/ner.md)."""
