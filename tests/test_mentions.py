"""claims.mentions finds by string search the places the three per-word patterns found."""
from claims.extract import _vocabulary
from claims.mentions import _by_pattern, places
from claims.rules import load_rules

TEXTS = [
    "总经理王小明表示，王小明還说，经理王小明(Wang)到场。",
    "懷特(Gary White)說，懷特 (G. White)也表示同意，总教练懷特",
    "主任李主任李主任强调：副总经理李四指出",  # titles that overlap the word they precede
    "王五王五王五",
]


def test_places_as_the_patterns_found_them():
    vocab = _vocabulary(load_rules())
    for text in TEXTS:
        for i in range(len(text)):
            for n in (1, 2, 3):
                word = text[i:i + n]
                assert places(text, word, vocab.titles, vocab.cue_verbs) == _by_pattern(text, word, vocab.titles, vocab.cue_verbs), word


def test_a_titled_and_cued_name_is_two_places():
    vocab = _vocabulary(load_rules())
    assert places("总经理王小明表示", "王小明", vocab.titles, vocab.cue_verbs) == {3}
    assert len(places("经理王小明来了，王小明表示", "王小明", vocab.titles, vocab.cue_verbs)) == 2
