"""claims.mentions finds by string search the places the three per-word patterns found, and the
mention pattern's matches as its finditer does."""
import regex

from claims.extract import _vocabulary
from claims.mentions import MentionScan, _by_pattern, places, title_before
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


MENTION_TEXTS = [
    "记者陶常宁报道，选手周瑾以三分之差落后，现年19岁的陆一帆是冠军，副总经理李四指出，主任李主任李主任强调",
    "董事长兼总经理王小明表示，与前主委李石增联系，42岁的刘振东说，教授欧阳明日到场，经理王",
    "总统府发言人张三、李四和王五，院长陈美玲今天出席记者会。她说，总经理",
]


def _spans(matches):
    return [(m.span(), m.span("name"), m.group("name")) for m in matches]


def test_the_mention_scan_finds_what_the_pattern_finds():
    vocab = _vocabulary(load_rules())
    assert vocab.mention_scan._fast  # the pack's mention define has the shape the scan knows
    for text in MENTION_TEXTS:
        assert _spans(vocab.mention_scan.finditer(text)), text  # each text has mentions to find
        for a in range(0, len(text), 3):
            for b in range(a, len(text) + 1, 5):
                assert _spans(vocab.mention_scan.finditer(text, a, b)) == _spans(vocab.mention.finditer(text, a, b)), (a, b)


def test_a_mention_pattern_of_another_shape_is_scanned_by_itself():
    source = r"(?:\L<title>)(?P<name>\L<surname>\p{Han}{1,2})"
    lists = {"title": ["经理"], "surname": ["王"], "compound_surname": []}
    pattern = regex.compile(source, regex.V1, title=lists["title"], surname=lists["surname"])
    scan = MentionScan(pattern, source, lists)
    assert not scan._fast
    assert [m.group("name") for m in scan.finditer("经理王小明说，经理王五")] == ["王小明", "王五"]


def test_the_title_before_a_word_is_the_patterns():
    vocab = _vocabulary(load_rules())
    titles = list(vocab.titles)
    for text in [*TEXTS, *MENTION_TEXTS]:
        for i in range(len(text)):
            word = text[i:i + 3]
            for end in (i + 3, len(text)):
                m = regex.search(r"(?P<title>\L<title>)" + regex.escape(word), text[:end], title=titles)
                assert title_before(text, word, end, vocab.titles) == (m["title"] if m else None), (word, end)
    assert title_before("总经理王小明表示", "王小明", 8, vocab.titles) == "总经理"  # the leftmost, and there the longest
    assert title_before("总经理王小明表示", "王小明", 5, vocab.titles) is None  # the word must end before `end`
