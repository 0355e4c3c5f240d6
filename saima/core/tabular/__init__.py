"""Tabular import shared by every app: read → map headers → validate → preview → apply.

Django-free modules (``saima rank`` uses them): ``problems``, ``numbers`` (the one number
parser), ``reading`` and ``xlsx`` (bounded readers for CSV and XLSX). ``importing`` is the web
side (issues in the user's language, header mapping, preview, fingerprint, guard).
See docs/imports.md.
"""
