"""Funding themes: the shared vocabulary between calls (their text) and companies (CAE, activity)."""

from __future__ import annotations


def themes_in_text(text: str) -> list[str]:
    """Theme keys mentioned by a call's or a company's text, in a stable order."""
    return []
