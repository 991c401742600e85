"""Enrich stage: pure functions over all notes.

``sections`` fills ``Note.sections`` (with the domains each section pins), ``links`` lists
the links every note writes, ``index`` resolves links against every note registered first,
``evidence`` finds the notes' support for the cheat-sheets, and ``site_index`` derives once per build
what many pages need (backlinks, note groups, resources…).
"""
from __future__ import annotations

from .assets import AssetIndex, AssetTarget
from .coverage import Checklist, DomainCoverage, StatedProgress, TaskCoverage
from .evidence import (ConceptHit, Source, SupportedScenario, concept_pattern, find_concepts, resolve_scenarios,
                       section_texts)
from .index import NoteIndex, Target, backlinks
from .links import collect_links, collect_wikilinks, enrich_note, enrich_notes, note_mentions
from .sections import (group_by_domain, heading_anchor, heading_plain_text, lead_in_anchors,
                       pinned_domains, primary_domain, section_at_line, sections_for_domain, split_sections)
from .site_index import LinkFlags, SiteIndex, build_site_index, link_flags

__all__ = [
    "AssetIndex", "AssetTarget", "Checklist", "ConceptHit", "DomainCoverage", "LinkFlags", "NoteIndex", "SiteIndex",
    "Source", "StatedProgress", "SupportedScenario", "Target", "TaskCoverage", "backlinks", "build_site_index",
    "collect_links", "collect_wikilinks", "concept_pattern", "enrich_note", "enrich_notes", "find_concepts",
    "group_by_domain", "heading_anchor", "heading_plain_text", "lead_in_anchors",
    "link_flags", "note_mentions", "pinned_domains", "primary_domain", "resolve_scenarios", "section_at_line",
    "section_texts", "sections_for_domain", "split_sections",
]
