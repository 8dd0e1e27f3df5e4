"""What Python reads from the rule packs by name, declared so that loading can check it.

A pattern's named groups are read by its normalizer (`normalize.reads`), word lists and
sub-patterns by the modules that resolve what a pattern found (dates, comparators, speakers).
A name misspelt on either side would match nothing and extract nothing, silently; with
these declarations `rules.load_rules` refuses the pack instead, naming the place.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Needs:
    """The lists and defines one module reads from the rule set as a whole (every pack merged)."""

    by: str  # the module, for the message
    lists: tuple[str, ...] = ()  # each must be in some pack, with at least one word
    families: tuple[str, ...] = ()  # list-name prefixes (cmp_ of cmp_over): at least one list each
    defines: dict[str, tuple[str, ...]] = field(default_factory=dict)  # define -> groups it must capture
    rules: tuple[str, ...] = ()  # rule ids it treats apart (a colon speaker, a publisher)


# Speaker resolution (claims/speakers.py, Vocabulary.from_rules). Declared here until that
# module declares its own; tests/test_rule_groups.py checks that it reads no other name.
SPEAKERS = Needs(
    "claims/speakers.py",
    lists=("title", "pronoun", "not_speaker", "not_subject_start", "future", "org_suffix", "surname",
           "compound_surname", "name_stop", "title_end", "honorific", "nickname_prefix", "not_name_start",
           "org_opening", "field_label", "crowd", "anaphor_prefix", "party_anaphor", "cue_verb", "byline_title", "name_cut", "generic_role"),
    defines={"subject_head": (), "subject_tail": (), "mention": ("name",)},
    rules=("attribution.colon", "attribution.colon-answer", "attribution.publishes", "attribution.reports"),
)
