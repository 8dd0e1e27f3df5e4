"""Vocabulary.tail_search (the subject tail read backwards, leftmost-longest) finds what the
forward search of the pattern finds, where a subject has a tail and where it has none."""
from claims.extract import _vocabulary
from claims.rules import load_rules

SUBJECTS = [
    "阿里云智能首席技术官周靖人在接受记者采访时",
    "他在北京在会议上时也",  # two places, the leftmost start reading both
    "李凯尔25日在多个社交媒体上",
    "环保署长李应元会前受访时还",
    "国台办发言人安峰山28日上午",
    "星衡科技（股票代码：301975）昨晚",
    "王芳对此次事件的受害者家属",
    "该公司高兴地",
    "记者李明",
]


def test_the_tail_read_backwards_is_the_one_read_forward():
    vocab = _vocabulary(load_rules())
    assert vocab.tail_reversed is not None  # the pack's tail can be read backwards
    found = 0
    for text in SUBJECTS:
        for start in range(len(text)):
            for end in range(start, len(text) + 1):
                forward = vocab.tail.search(text, start, end)
                backward = vocab.tail_search(text, start, end)
                assert (backward and backward.span()) == (forward and forward.span()), (text[start:end])
                found += forward is not None
    assert found > 100  # the texts have tails to find
