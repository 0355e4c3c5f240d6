"""The portal's sections, one module per mechanism, in their order on the front page.

A mechanism that lands adds its module here (projects, arena, conduct, clarification): a
``Section`` built from its app's published data, never a placeholder.
"""

from __future__ import annotations

from saima.portal.sections import arena, bulletins, clarification, conduct, projects, races
from saima.portal.sections.base import Section

SECTIONS: tuple[Section, ...] = (
    races.SECTION,
    projects.SECTION,
    arena.SECTION,
    conduct.SECTION,
    clarification.SECTION,
    bulletins.SECTION,
)


def section(code: str) -> Section:
    return next(s for s in SECTIONS if s.code == code)
