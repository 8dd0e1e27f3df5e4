"""Who said it: attribution claims, speaker names and titles, and the reach of reported speech.

Cue matches come from the attribution rule pack; this module reads the clause around each cue
for its subject, splits the subject into title and name, resolves 他/她/其 to the most recent
named person, ties quotations to the cue that follows or precedes them, and returns the spans
of reported speech so that figures inside them carry their speaker.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import accumulate

import regex

from .firstchars import compile_anchored
from .mentions import MentionScan, places, title_before
from .model import Speaker
from .text import Quote, Segment, trim

# A subject opening so tells what is to come; no organisation's name opens so.
_NEXT_OPENINGS = ("后续", "後續", "即将", "即將")
_ORG_CHARS = set("署局部委司处處院所会會厅廳办辦组組")
# One-character heads of an organisation that 该/該 points back to (该行, 該院, 该校).
_ORG_HEADS = set("署局部委司处處院所会會厅廳办辦组組行校店厂廠馆館台臺社")
# Where an organisation's name read backwards from its ending stops (记者走访了招商银行).
_ORG_BOUNDARY = set("的和与與及在于於由被把跟同向对對从從到是为為将將已也了据據該该此这這其")
_NAME_CHAR = regex.compile(r"[\p{Han}A-Za-z]")
_WORD_CHAR = regex.compile(r"[\p{Han}\p{L}\p{N}]")
_HAN = regex.compile(r"\p{Han}+")
_COUNT_OPENING = regex.compile(r"[0-9０-９]+[个個家名位座所只条條项項批]")  # 10个城市: a count, no one
_HAN_PREFIX = regex.compile(r"\p{Han}{1,2}")
_LATIN_NAME = regex.compile(r"[A-Za-z][A-Za-z.\-]*(?:[ ·・][A-Za-z][A-Za-z.\-]*){0,3}")
_GLOSSED = regex.compile(r"(?P<han>.+?)\s?[（(][A-Za-z][^）)]{0,40}[）)]")
# A name never ends in a place word, and never holds a preposition or an adverb past its start.
_LOCATIVE = set("中上下边邊旁里裡内內外前后後时時")
_INSIDE_NO_NAME = frozenset("在于於向对對从從把被给給让讓曾又也还還都就才便卻却則则")
_NO_NAME_MARKS = frozenset("，,。；;：:“”「」《》〖〗【】…\n")  # (set.isdisjoint(name): one pass over the name)
# The characters of the standard transliteration of foreign names (普京, 拉加德, 钱德雷查德): a
# name after a title made only of these is a foreign name even when the article gives it once.
_TRANSLIT = set(
    "阿埃艾爱安昂奥巴拔贝本比彼宾波伯布查达戴丹德登迪蒂丁东杜多厄恩尔法范菲费芬丰夫弗福嘎盖甘冈高戈哥格根古瓜哈海汉豪赫"
    "黑亨洪胡华霍基吉加贾杰金卡凯坎科克肯库夸奎拉莱兰朗劳勒雷黎里利莉连列林琳卢鲁伦罗洛马迈曼芒毛梅门蒙米明摩莫姆穆纳"
    "奈南内尼涅努诺帕潘佩彭皮平珀普奇齐恰乔切钦琼丘萨塞桑瑟森沙尚什施舒斯松苏索塔泰坦汤特提廷图托瓦万旺威韦维温沃乌西"
    "希夏谢辛休雅亚扬耶伊因英尤约泽扎詹兹佐祖钱查"
    "愛貝賓達東爾費豐岡華賈傑凱蘭勞黎蓮盧魯倫羅邁門納諾龐喬欽瓊蘇湯圖萬維溫烏謝雅亞揚約澤紮茲錢"
)
_DOCUMENTS = ("如下", "规定", "規定", "预报", "預報", "讯息", "訊息", "消息", "声明", "聲明", "公告", "报告", "報告", "通知", "通报", "通報", "文件", "报道", "報導")
# How a newspaper, a magazine, a broadcaster or a news site ends its name (《衛報》, 《财经》杂志 is not inside).
_OUTLET_ENDS = ("报", "報", "刊", "志", "誌", "社", "网", "網", "台", "臺", "闻", "聞", "视", "視", "周", "週")
_BOOKED = regex.compile(r"\p{Han}{0,6}《(?P<inner>[^《》]{2,12})》[\p{Han}A-Za-z]{0,6}")
_PERIODIC_REPORTS = ("简报", "簡報", "快报", "快報", "年报", "年報", "季报", "季報", "月报", "月報", "情报", "情報")
_CROWDED = 3  # new names since the last speaker that make a 他/她 hers or his rather than the last name's
_MAX_TITLE = 40  # 阿里巴巴集团董事会主席兼首席执行官, 复旦大学教授、人工智能研究院院长 are shorter
# No title begins with a negation (不对您构成任何投资建议); a relative clause may (在地居民自救會會長,
# 在…采购年货的市民汤一鸣, 被誉为…的).
_NOT_TITLE_START = set("不没沒别別莫勿")
_TO_SOMEONE = set("向对對跟给給与與同替把被")
# After a name read from a subject's start, words that make the rest a clause rather than how it
# was said (李凯尔25日在多个社交媒体发文): a noun phrase with 的, a list, or more than 24 characters.
_LONG_CLAUSE = regex.compile(r"[的、]|.{25}")
_COUNTED = regex.compile(r"[一两兩多数數几幾该該][位名个個些]")
_MANNER = regex.compile(r"(?<=\p{Han}{2})\p{Han}{2}地$")  # 高兴地, 焦急地: how it was said


@dataclass(frozen=True)
class CueMatch:
    rule: str
    start: int
    end: int
    cue: tuple[int, int]
    subject: tuple[int, int] | None  # given by the rule (据X介绍, 在X看来), else read from the clause


@dataclass(frozen=True)
class Attribution:
    rule: str
    span: tuple[int, int]
    trigger: tuple[int, int]
    speaker: Speaker


@dataclass(frozen=True)
class Region:
    """Reported speech: figures in [start, end) were said by `speaker`."""

    start: int
    end: int
    speaker: Speaker


@dataclass
class Vocabulary:
    """Word lists and sub-patterns of the attribution pack that speaker resolution needs."""

    titles: tuple[str, ...]
    pronouns: frozenset[str]
    not_speaker: frozenset[str]
    not_start: tuple[str, ...]
    future: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    head: regex.Pattern
    tail: regex.Pattern
    mention: regex.Pattern
    title_re: regex.Pattern
    surnames: frozenset[str] = frozenset()
    compound_surnames: tuple[str, ...] = ()
    name_stop: frozenset[str] = frozenset()
    title_end: frozenset[str] = frozenset()
    honorifics: tuple[str, ...] = ()
    nickname_prefixes: tuple[str, ...] = ()
    not_name_start: frozenset[str] = frozenset()
    not_name_words: tuple[str, ...] = ()
    org_opening: tuple[str, ...] = ()
    field_labels: tuple[str, ...] = ()
    crowd: tuple[str, ...] = ()
    generic_roles: frozenset[str] = frozenset()
    anaphor_prefixes: tuple[str, ...] = ()
    party_anaphors: dict[str, str] = field(default_factory=dict)
    cue_verbs: tuple[str, ...] = ()
    cut: frozenset[str] = frozenset()
    byline_titles: tuple[str, ...] = ()
    max_subject: int = 60
    # The organisation endings of two characters or more (计划署, 联盟): one str.endswith over a
    # tuple, which the subject test asks for every cue, instead of a generator over the list.
    long_org_suffixes: tuple[str, ...] = ()
    # The cue verbs as one alternation: "does the subject hold a cue verb" is asked of every
    # subject, and a generator over the list cost more than the rest of the test.
    cue_verb_re: regex.Pattern | None = None
    # subject_tail read backwards, leftmost-longest (see tail_search); None where that could find other matches
    tail_reversed: regex.Pattern | None = None
    # finds the mention pattern's matches (mention_scan.finditer), faster than the pattern does
    mention_scan: MentionScan | None = None
    pronouns_longest_first: tuple[str, ...] = ()  # (a subject is tried for each, longest first)
    _title_ends: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)
    # The words of what is not yet said as one alternation: most subjects hold none, and one
    # search says so where a str.find per word cost more than the rest of the refusal test.
    future_re: regex.Pattern | None = None

    @classmethod
    def from_rules(cls, lists: dict, defines: dict) -> Vocabulary:
        mention_lists = {k: list(lists.get(k, ())) for k in ("title", "surname", "compound_surname")}
        # A pack without one of these lists still compiles: a NUL matches no article.
        mention = compile_anchored(defines.get("mention", "(?!)"), **{k: v or ["\x00"] for k, v in mention_lists.items()})
        return cls(
            titles=tuple(sorted(lists.get("title", ()), key=len, reverse=True)),
            pronouns=frozenset(lists.get("pronoun", ())),
            pronouns_longest_first=tuple(sorted(set(lists.get("pronoun", ())), key=len, reverse=True)),
            not_speaker=frozenset(lists.get("not_speaker", ())),
            not_start=tuple(lists.get("not_subject_start", ())),
            future=tuple(lists.get("future", ())),
            future_re=regex.compile("|".join(regex.escape(w) for w in lists.get("future", ()))) if lists.get("future") else None,
            org_suffixes=tuple(lists.get("org_suffix", ())),
            long_org_suffixes=tuple(x for x in lists.get("org_suffix", ()) if len(x) >= 2),
            head=regex.compile(defines.get("subject_head", "(?!)"), regex.V1),
            tail=compile_anchored(defines.get("subject_tail", "(?!)")),
            tail_reversed=_reversed(defines.get("subject_tail", "(?!)")),
            mention=mention,
            mention_scan=MentionScan(mention, defines.get("mention", "(?!)"), mention_lists),
            title_re=regex.compile(r"\L<title>", regex.V1, title=list(lists.get("title", ())) or [""]),
            surnames=frozenset(lists.get("surname", ())),
            compound_surnames=tuple(lists.get("compound_surname", ())),
            name_stop=frozenset(lists.get("name_stop", ())),
            title_end=frozenset(lists.get("title_end", ())),
            honorifics=tuple(sorted(lists.get("honorific", ()), key=len, reverse=True)),
            nickname_prefixes=tuple(lists.get("nickname_prefix", ())),
            not_name_start=frozenset(w for w in lists.get("not_name_start", ()) if len(w) == 1),
            not_name_words=tuple(w for w in lists.get("not_name_start", ()) if len(w) > 1),
            org_opening=tuple(lists.get("org_opening", ())),
            field_labels=tuple(lists.get("field_label", ())),
            crowd=tuple(lists.get("crowd", ())),
            generic_roles=frozenset(lists.get("generic_role", ())),
            anaphor_prefixes=tuple(lists.get("anaphor_prefix", ())),
            # 院方 → the last organisation whose name ends in 院 (医院, 法院)
            party_anaphors={w: w[:-1] for w in lists.get("party_anaphor", ())},
            cue_verbs=tuple(lists.get("cue_verb", ())),
            cue_verb_re=regex.compile("|".join(regex.escape(v) for v in sorted(lists.get("cue_verb", ()), key=len, reverse=True)))
            if lists.get("cue_verb") else None,
            byline_titles=tuple(lists.get("byline_title", ())) or ("\x00",),
            cut=frozenset(lists.get("name_stop", ())) | frozenset(lists.get("name_cut", ())) | frozenset("0123456789０１２３４５６７８９（(《「“ 　"),
        )

    def tail_search(self, text: str, start: int, end: int) -> regex.Match | None:
        """`tail.search(text, start, end)`: where and how the words were said, at the subject's end.

        The tail pattern, `(?:…)+$`, is tried forward at every start of the subject (some 3 us a
        character). Read backwards from the end it fails at once when nothing ends there, as in nine
        subjects of ten; and read backwards leftmost-longest (POSIX), the match found is the one
        reaching furthest back: the one starting leftmost, which the forward search finds. (A
        subject is inside one line: no newline at its end for `$` to stop before.)"""
        if self.tail_reversed is not None:
            return self.tail_reversed.search(text, start, end)
        return self.tail.search(text, start, end)

    def refuses(self, subject: str) -> bool:
        """A subject that is no speaker: too long, impersonal, a comparison, or not yet said."""
        return (
            len(subject) > self.max_subject
            or subject.endswith("的")
            or subject in self.not_speaker
            or subject.startswith(self.not_start)
            or self._announces(subject)
        )

    def _announces(self, subject: str) -> bool:
        # 将于8月公布 is not yet said; 世界粮食计划署 and 計劃生育聯盟 are organisations' names.
        if subject.startswith(_NEXT_OPENINGS):
            return True  # 后续会发官方通报: what is to come, whatever the subject ends in
        if subject.endswith(self.long_org_suffixes) or self.future_re is None or self.future_re.search(subject) is None:
            return False
        for w in self.future:
            i = subject.find(w)
            while i >= 0:
                if subject[i + len(w) : i + len(w) + 1] not in _ORG_CHARS:
                    return True
                i = subject.find(w, i + 1)
        return False

    def is_org(self, name: str, title: str | None) -> bool:
        if title:
            return False
        return "、" in name or "等" in name or len(name) > 4 or name.endswith(self.org_suffixes)

    def title_ends(self, s: str) -> list[int]:
        """Where a title word ends in s, one per start (the longest there): `title_re`'s overlapped
        matches. Asked of the same subject and name several times over (split, speaker, the
        person before a clause): read once, and kept while the cache is small."""
        ends = self._title_ends.get(s)
        if ends is None:
            if len(self._title_ends) >= 20000:
                self._title_ends.clear()
            ends = self._title_ends[s] = [m.end() for m in self.title_re.finditer(s, overlapped=True)]
        return ends

    def split(self, subject: str) -> tuple[int, str | None]:
        """Where the name starts in a subject, and the title before it (or None).

        The name follows the last title word (首席技术官周靖人) or the last 的 (42岁的刘振东),
        whichever comes later; a long remainder means it was no name after all, unless it ends
        in a name after a role word the title list lacks (氣象署預報員柯怡廷).
        """
        after_title = max(self.title_ends(subject), default=0)
        at = max(after_title, subject.rfind("的") + 1)
        after_title = subject[at:]
        # 會計師事務所: a title word inside an organisation's name
        plausible = at > 0 and 2 <= len(after_title) <= 6 and "、" not in after_title and not after_title.endswith(self.org_suffixes)
        if not plausible or (len(after_title) > 3 and not self.is_name(after_title)):
            found = self._name_at_end(subject)
            if found is not None:
                return found, self._title(subject, found)
        return (at, self._title(subject, at)) if plausible else (0, None)

    @staticmethod
    def _title(subject: str, at: int) -> str | None:
        return subject[:at].rstrip("、，, 的") or None

    def is_name(self, name: str) -> bool:
        """A personal name: a surname and one or two characters (two or three after a compound
        surname), or a foreign name written with ·."""
        if "·" in name or "・" in name or "•" in name:
            return True
        if name.startswith(self.compound_surnames):
            return 3 <= len(name) <= 4
        if "的" in name:
            return False  # 惠誉的(声明)
        if len(name) == 3 and name[1] in "男女":
            return False  # 卓男僅坦承: 卓男 (the man surnamed 卓), then an adverb
        if len(name) == 4 and name[1] == "氏":
            return name[0] in self.surnames  # 阮氏翠萍: a Vietnamese woman's name
        return name[:1] in self.surnames and 2 <= len(name) <= 3 and _HAN.fullmatch(name) is not None  # (莫迪20日: not 莫迪2)

    def _name_at_end(self, subject: str) -> int | None:
        for h in self.honorifics if subject.endswith(self.honorifics) else ():
            if subject.endswith(h):
                for n in (2, 1):
                    at = len(subject) - len(h) - n
                    if at >= 2 and self._honorific(subject[at:]):
                        return at
        for n in (3, 2):
            at = len(subject) - n
            if at >= 2 and subject[at - 1] in self.title_end and self.is_name(subject[at:]):
                return at
        return None

    def end_name(self, name: str) -> str:
        """A name read greedily (邵长河站, 张勇表) ended where the next word begins."""
        keep = 3 if name.startswith(self.compound_surnames) else 2
        return name[:keep] if len(name) > keep and name[keep] in self.name_stop else name


    def kind(self, name: str, title: str | None, known) -> str | None:
        """What a candidate speaker is: "person", "name" (a bare word the article uses as a name),
        "org", "role" (一位工作人员, 村民), "anaphor"
        (该银行, 院方: the organisation named before), or None when it names no one (以及, 故不,
        有人, 美國人, 受訪者, a clause). `known(word)` says whether a bare word is used as a name
        elsewhere in the article (普京, 華航: no surname, title or suffix to go by)."""
        if len(name) < 2 or name in self.not_speaker or name in self.pronouns or name in self.byline_titles:
            return None
        if name in self.party_anaphors or self._anaphor(name):
            return "anaphor"
        if self.opens_clause(name) or name.endswith(self.crowd) or _COUNT_OPENING.match(name):
            return None
        booked = _BOOKED.fullmatch(name)
        if booked and self._outlet(booked["inner"]):
            return "org"  # 《衛報》, 英国《金融时报》中文网: a newspaper (《通知》, 《报告》 are documents)
        if name.endswith("的") or name in _DOCUMENTS:
            return None  # 惠誉的(声明), 外媒(報導): whose document, or the document itself
        if name.endswith(("”", "」")) and ("“" in name or "「" in name) and len(name) <= 24:
            return "org"  # 民航数据平台“航旅指数”: a named platform
        if not _NO_NAME_MARKS.isdisjoint(name) or "..." in name:
            return None
        if self.is_name(name) or self._honorific(name) or self._nickname(name):
            return "person"
        if _LATIN_NAME.fullmatch(name):
            return "person" if " " in name or "·" in name else "org"
        g = _GLOSSED.fullmatch(name)  # 懷特(Gary White), 約翰（John Kizilarmut）, 麦克萨科技（Maxar Inc.）
        if g:
            inner = self.kind(g["han"], title, lambda w, times=0: True)
            return inner or ("person" if regex.fullmatch(r"[\p{Han}·・•]{2,8}", g["han"]) else None)
        if _COUNTED.match(name) and name[2:].endswith(self.titles):
            return "role"  # 一位工作人员, 该工作人员
        if not _INSIDE_NO_NAME.isdisjoint(name[1:]):
            return None
        if name.endswith(self.titles):
            return "role" if len(name) <= 16 else None
        if name.endswith("人"):
            return None  # 美國人, 岸上一人, 友人: a nationality or an anonymous crowd
        if "、" in name:  # 58同城、安居客: each of them someone
            parts = name.split("、")
            ok = parts[0][:1] not in self.not_name_start and all(
                p and len(p) <= 12 and _INSIDE_NO_NAME.isdisjoint(p[1:]) for p in parts)
            # 华为、小米等企业 ends as organisations do; else some part must be a name or a brand (58同城,
            # 爱奇艺、B站): 加强雨情、水情…预报 is a clause
            ok = ok and any(self._org_ending(p) or self.is_name(p) or regex.search(r"[0-9A-Za-z]", p) for p in parts)
            return "org" if ok else None
        if name.endswith(self.org_suffixes) and not self._person_then_clause(name, title):
            return "org"  # 宝鸡市人民检察院 (研究員吳澄澄拿出數據: a person after a title, then what she did)
        if name[-1] in _LOCATIVE or not _INSIDE_NO_NAME.isdisjoint(name[1:]):
            return None  # 記者會中, 旁邊, 廖文慈在臉書社團: a place or a clause, not a name
        if _HAN.fullmatch(name) and title and not title.endswith(self.byline_titles) and len(name) <= 5 \
                and (known(name, 2) or all(c in _TRANSLIT for c in name)) \
                and not name.endswith(_DOCUMENTS) and (
                name[0] not in self.surnames or len(name) >= 4 and not any(c in self.cut for c in name[1:])):
            return "person"  # 總統普丁, 首席大法官钱德雷查德 (named again in the article)
        if _HAN.fullmatch(name) and len(name) <= 4 and known(name):
            return "name"  # 伊斯科, 班加, 港鐵: named as someone elsewhere in the article
        return None

    def _person_then_clause(self, name: str, title: str | None) -> bool:
        # 研究員吳澄澄拿出數據: a person (after a title) and then what she did, not an organisation
        # that ends in 數據; the speaker is the person
        ats = [0] if title else []
        ats += self.title_ends(name)
        return any(len(name) - at > 4 and self.is_name(name[at : at + 3]) for at in ats)

    def _org_ending(self, name: str) -> bool:
        # an ending of two characters or more (企业, 银行): 报, 会, 部 alone end common nouns too (预报)
        return name[1:].endswith(self.long_org_suffixes)  # (an ending shorter than the name)

    def opens_clause(self, name: str) -> bool:
        """A candidate that begins like a clause (以及回应, 故不建議, 任何對華航): no one's name,
        unless it is an organisation's whose name opens so (自然资源部, 自治区政府)."""
        if name.startswith(self.not_name_words):
            return True
        return name[:1] in self.not_name_start and not (name.startswith(self.org_opening) and name.endswith(self.org_suffixes))

    def _outlet(self, inner: str) -> bool:
        return 2 <= len(inner) <= 12 and inner.endswith(_OUTLET_ENDS) and not inner.endswith(_DOCUMENTS) \
            and not inner.endswith(_PERIODIC_REPORTS) and _HAN.fullmatch(inner) is not None

    def _anaphor(self, name: str) -> bool:
        # 该银行, 該公司, 该行, 該院: that organisation, named before
        if not name.startswith(self.anaphor_prefixes):
            return False  # (most names: one test instead of the loop)
        for p in self.anaphor_prefixes:
            if name.startswith(p):
                after_prefix = name[len(p) :]
                return 1 <= len(after_prefix) <= 4 and (after_prefix.endswith(self.org_suffixes) or after_prefix in _ORG_HEADS)
        return False

    def _honorific(self, name: str) -> bool:
        # 王先生, 刘某, 陳太, 刘阿姨, 郑女士: a surname and a form of address
        if not name[1:].endswith(self.honorifics):
            return False  # (no form of address shorter than the name ends it: the loop finds none)
        for h in self.honorifics:
            if name.endswith(h) and len(name) > len(h):
                head = name[: -len(h)]
                return head in self.surnames or head in self.compound_surnames
        return False

    def _nickname(self, name: str) -> bool:
        # 小嫻, 小S, 阿翔, 老王: the names Taiwanese and Hong Kong reports give people
        return len(name) in (2, 3) and name.startswith(self.nickname_prefixes) and _NAME_CHAR.fullmatch(name[1])  is not None \
            and name not in self.titles and name[2:] not in self.cut  # (小禎在: 小禎, then where)

    def speaker(self, subject: str, known, whole_known=None) -> tuple[int, int, str | None, str] | None:
        """The speaker a subject names: (start, end, title, kind) within the subject, or None.

        The whole subject (title and name) is tried first; else the longest speaker it begins
        with, after its title words or from its start, ended where a word of time, place or
        manner begins (周威佑便坦言, 環保署長李應元會前受訪強調, 李凯尔25日在…发文回应); a
        pronoun that opens it (她也首度回應) is that pronoun. A subject holding a cue verb is
        someone's words, not a speaker (她表示不便透露)."""
        if self.cue_verb_re is not None and self.cue_verb_re.search(subject):
            return None
        m = _MANNER.search(subject)
        if m:
            subject = subject[: m.start()]
        for p in self.pronouns_longest_first:
            # 其 only alone: 其次, 其中, 其实 begin other words
            if subject.startswith(p) and (len(subject) == len(p) or p != "其" and subject[len(p)] in self.cut):
                return 0, len(p), None, "pronoun"
        offset, title = self.split(subject)
        if title and (title[0] in _NOT_TITLE_START or title[-1] in _TO_SOMEONE):
            # 不对您构成任何投资建议: a negated clause, not a title and a name; 而是向蒋某承诺: to
            # whom it was said, not who said it
            return None
        after_title = subject[offset:]
        kind = self.kind(after_title, title, _never if offset and subject[offset - 1] == "的" else whole_known or known)
        if kind:
            return offset, len(subject), title, kind
        if title and _HAN.fullmatch(after_title) and len(after_title) in (2, 3) and after_title[0] not in self.not_name_start \
                and not (title.endswith(self.byline_titles) and not self.is_name(after_title)) \
                and after_title[0] not in _ORG_HEADS and after_title[-1] not in _LOCATIVE and not after_title.endswith(_DOCUMENTS) \
                and not any(c in self.cut for c in after_title[1:]):
            return offset, len(subject), title, "person"  # 研究部主管容卓賢: a title, then what can only be a name
        starts = sorted({*self.title_ends(subject)} | {subject.rfind("的") + 1} - {0}) + [0]
        for at in starts:
            after_title = subject[at:]
            t = self._title(subject, at) if at else None
            if t and (len(t) > _MAX_TITLE or t[0] in _NOT_TITLE_START):
                continue  # 蓝绍敏就…等方面存在的困难: a clause before 的, not a title
            # 在沒有提出任何證據的情況: after 的 a bare word is a noun, however often the article uses it
            k_at = _never if at and subject[at - 1] == "的" else known
            kind = self.kind(after_title, t, k_at) if at else None
            if kind:
                return at, len(subject), t, kind
            found = None
            for k in range(len(after_title) - 1, 1, -1):
                if after_title[k] in self.cut:
                    name = self.end_name(after_title[:k])
                    if _LONG_CLAUSE.search(after_title, len(name)) or name in self.org_suffixes and not name.endswith("方") \
                            or len(after_title) - len(name) > 4 and after_title.endswith(self.titles):
                        # 蓝绍敏就教研…等方面存在的困难问题和意见建议, 投資事業本來: a clause after the name;
                        # 高温慰问送清凉百联…中心相关负责人: the speaker is the role the subject ends in
                        continue
                    kind = self.kind(name, t, k_at)
                    if kind and (found is None or kind == "person" and found[3] != "person"):
                        found = at, at + len(name), t, kind  # 李正元會前受訪: the person, not 李正元會
                        if kind == "person":
                            break
            if found:
                return found
        for at in starts:
            after_title = subject[at:]
            t = self._title(subject, at) if at else None
            # 江宏杰哽咽流泪说, 宝鸡市人民检察院起诉指控: a name or an organisation, then how
            if 4 < len(after_title) <= 9 and self.is_name(after_title[:3]) and not after_title.endswith(("人", "者", "们", "們")) \
                    and not after_title.endswith(self.titles) and not self.opens_clause(after_title) and not _LONG_CLAUSE.search(after_title, 3):
                return at, at + 3, t, "person"
            for k in range(len(after_title) - 1, max(len(after_title) - 5, 1), -1):
                if after_title[:k].endswith(self.org_suffixes) and self.kind(after_title[:k], t, known) == "org":
                    return at, at + k, t, "org"
        return None

def _never(word: str, times: int = 0) -> bool:
    return False


# Atomic groups and possessive repeats do not backtrack: read forward or backwards they may
# refuse different texts, so such a pattern gets no backward test.
_NO_BACKTRACK = regex.compile(r"\(\?>|[*+?}]\+")


def _reversed(source: str) -> regex.Pattern | None:
    # Backtracking tries every way of reading the text, in either direction: a pattern without
    # atomic groups or possessive repeats matches the same texts read backwards as forward.
    if _NO_BACKTRACK.search(source):
        return None
    return regex.compile(source, regex.V1 | regex.REVERSE | regex.POSIX)


# Colon rules read the whole line before the colon: only a speaker and a few words may stand there.
_COLON_RULES = ("attribution.colon",)
# Rules whose speaker publishes or reports (发布…数据, 《…》報導): an organisation or an outlet, not a person.
_PUBLISHER_RULES = ("attribution.publishes", "attribution.reports")

# How far before the last named person a mention scan restarts: longer than any title.
_MENTION_MARGIN = 40


@dataclass
class _State:
    last_person: Speaker | None = None
    last_person_at: int = -1
    last_any: Speaker | None = None
    last_any_sentence: int = -1  # where last_any spoke, for 并表示 in the same sentence
    titles: dict[str, str] = field(default_factory=dict)  # a title, once given, goes with the name
    said: list[_Said] = field(default_factory=list)  # every resolved cue, for the quotations around it
    orgs: list[str] = field(default_factory=list)  # organisations that spoke, for 该银行 and 院方


def _containing(segs: list[Segment], starts: list[int], pos: int) -> Segment:
    i = bisect.bisect_right(starts, pos) - 1
    return segs[max(i, 0)]


_BYLINE = regex.compile(r"记者|記者|通讯员|通訊員|[讯訊电電](?=[（(])|报道|報導|编辑|編輯")
_PLURAL = ("他们", "她们", "他們", "她們")
_FULL_STOP = regex.compile(r"\s*[。！？!?]")
_THE_END = regex.compile(r"[（(](?:完|全文完)[）)]")  # “……”(完): the report ends with the quotation
_OBJECT_MARKS = set("與与跟同對对向給给被把將将")
_TITLE_PREFIXES = set("前原現现副新老")  # 與前主委李石增
_CONCEDES = ("虽然", "雖然", "尽管", "儘管", "虽", "雖")
# A verb of speech between an opener and a subjectless cue (道 is left out: 管道, 街道).
_SAID_BETWEEN = regex.compile(r"[说說称稱问問喊叫嗆呛罵骂]")
# Words quoted (「…，…」, “…。”): a name in quotation marks (「台北的獨特與包容」論壇) is not.
_WORDS_QUOTED = regex.compile(r"[“「『\"][^”」』\"]*[，,。！？!?；;][^”」』\"]*[”」』\"]|[“「『\"][^”」』\"]{21,}")
# An organisation opening a clause and going on (鹤城法院公开审理了…): what a bare 法院 later means.
_CLAUSE_OPENING_ORG = r"(?:^|(?<=[，。；：！？\n]))(?P<org>[^，。；：！？\n]{{1,10}}?{})(?![，。；：！？\n])"
# The reporter met someone (记者联系到了…，他告诉记者): a pronoun right after is that someone.
_REPORTER_MET = regex.compile(
    r"(?:记者|記者)[^，。；！？\n]{0,6}?(?:联系|聯繫|联络|聯絡|见到|見到|采访|採訪|专访|專訪|找到|拨通|撥通|致电|致電|"
    r"询问|詢問|走访|走訪|连线|連線|遇到|遇见|遇見|电话|電話)(?:了|上|到)*(?P<whom>[^，。；！？\n]{1,30})[，,]\s*$")
# The party a reporter reached (记者联系上刀郎经纪方，…，对方表示): whom a later 对方 means.
_REPORTER_REACHED = regex.compile(
    r"(?:记者|記者)[^，。；！？\n]{0,12}?(?:联系上|聯繫上|联系到|聯繫到|联系了|聯繫了|致电|致電|拨通|撥通|电话联系|電話聯繫)(?:了)?"
    r"(?P<whom>[^，。；！？\n]{2,20}?)(?=[，,。])")
_SPEECH_VERB = regex.compile(r"[说說道问問喊叫唱写寫嗆呛罵骂]")
_UNOPENED = regex.compile(r"[^（(）)\n]{0,30}[）)]")
_UNCLOSED = regex.compile(r"[（(][^）)]*$")
_CLAUSE_MARKS = "，,：:；; \u3000"
_PHRASE_GOES_ON = set("等的之类類这這那为為是")  # “考试未过”等诈骗信息, “双减”的要求: a phrase, not words said
_ASKS = ("问", "問")  # 网友提问：, 记者问：: a question, with nothing said to check
_REPORTS = ("报道", "報導", "報道", "报导")
_FORMAT = regex.compile(r"\p{Cf}")
_CAPTION_GAP = regex.compile(r"(?<=[\p{Han}）)」』”])[ \u3000\t]+(?=\p{Han})")
# 新华社记者 丁旭 摄水庆霞在…: a photo credit glued to the next sentence ends with 摄
_CREDIT_END = regex.compile(r"(?<=(?:记者|記者|摄影|攝影)[ \u3000]?\p{Han}{2,4}[ \u3000])[摄攝](?=\p{Han})")


def _subject_bounds(text: str, start: int, end: int, vocab: Vocabulary) -> tuple[int, int]:
    """Trim leading connectives and dates and trailing adverbials (在…时, 也, 近日) from a subject;
    a subject starts after the last gap of white space between Han words (a caption before it)."""
    start, end = _subject_start(text, start, end, vocab)
    while True:
        m = vocab.tail_search(text, start, end)
        if not m or m.start() == end:
            break
        end = m.start()
    return start, end


def _subject_start(text: str, start: int, end: int, vocab: Vocabulary) -> tuple[int, int]:
    # _subject_bounds without the trailing adverbials: where the subject starts (which they never
    # change), and its end without format characters
    for m in _CAPTION_GAP.finditer(text, start, end):
        start = m.end()
    if (m := _CREDIT_END.match(text, start, end)) is not None:
        start = m.end()
    m = _UNOPENED.match(text, start, end)
    if m:
        start = m.end()  # 焦文韬）星衡科技: the end of a byline's parenthesis, cut by the gap inside it
    # Format characters (bidirectional marks, zero-width spaces) are invisible: 据\u202e他介绍 is 据他介绍.
    while end > start and _FORMAT.match(text, end - 1):
        end -= 1
    while True:
        while start < end and _FORMAT.match(text, start):
            start += 1
        m = vocab.head.match(text, start, end)
        if not m or m.end() == start:
            break
        start = m.end()
    return start, end


def _opening(text: str, start: int, end: int, vocab: Vocabulary) -> int:
    # Where a sentence's subject begins, past the connectives that open it with a comma (此外，小禎…)
    a, _ = _subject_start(text, start, end, vocab)
    while a < end and text[a] in "，,":
        a, _ = _subject_start(text, a + 1, end, vocab)
    return a


@dataclass
class Segments:
    """The article as attribution reads it: its text cut into paragraphs, sentences, clauses and
    quotations (from claims.text), each list in text order with its starts kept for bisecting."""

    text: str
    paras: list[Segment]
    sentences: list[Segment]
    clauses: list[Segment]
    quotes: list[Quote]
    para_starts: list[int] = field(init=False)
    sent_starts: list[int] = field(init=False)
    clause_starts: list[int] = field(init=False)
    quote_starts: list[int] = field(init=False)
    speech: list[Quote] = field(init=False)  # quotations of words said (not titles, not scare quotes)
    speech_at: dict[int, Quote] = field(init=False)
    speech_ends: list[int] = field(init=False)  # quotations do not nest, so ends are sorted too
    para_index: dict[int, int] = field(init=False)

    def __post_init__(self) -> None:
        self.para_starts = [p.start for p in self.paras]
        self.sent_starts = [s.start for s in self.sentences]
        self.clause_starts = [c.start for c in self.clauses]
        self.quote_starts = [q.start for q in self.quotes]
        self.speech = [q for q in self.quotes if q.speech]
        self.speech_at = {q.start: q for q in self.speech}
        self.speech_ends = [q.end for q in self.speech]
        self.para_index = {p.start: n for n, p in enumerate(self.paras)}

    def para(self, pos: int) -> Segment:
        return _containing(self.paras, self.para_starts, pos)

    def sentence(self, pos: int) -> Segment:
        return _containing(self.sentences, self.sent_starts, pos)

    def sentence_index(self, pos: int) -> int:
        return bisect.bisect_right(self.sent_starts, pos) - 1

    def clause(self, pos: int) -> Segment:
        return _containing(self.clauses, self.clause_starts, pos)

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        return i >= 0 and self.quotes[i].start < pos < self.quotes[i].end - 1

    def near(self, a: int, b: int) -> bool:
        # “……”3月5日，公司总裁王海表示: only a date or a place between the quotation and its speaker
        return a <= b and b - a <= 15 and not any(c in self.text[a:b] for c in "。！？!?；;“”「」『』")

    def between(self, a: int, b: int) -> bool:
        # nothing but marks and spaces from a to b: the quotation and the speaker are side by side
        return a <= b and not _WORD_CHAR.search(self.text, a, b)


@dataclass
class _Said:
    """A resolved cue, for the quotations around it: where its trigger is, its paragraph, who spoke,
    where the speaker's words begin (title included) and how far they reach."""

    at: int
    para: int
    speaker: Speaker
    said_from: int
    reach: int


def _object_at(text: str, at: int) -> bool:
    # 是否仍與前主委李石增聯繫: a person after 與/對/向/被 (and 前, 原…) is spoken of, not the subject
    at -= text[at - 1 : at] in _TITLE_PREFIXES
    return at > 0 and text[at - 1] in _OBJECT_MARKS


class _Mentions:
    """Persons named with a role (选手周瑾, 42岁的刘振东), read lazily and only where a pronoun can use
    them: after the last named person (an earlier mention can never be the referent) and up to the
    pronoun. Most articles have no 他/她 cue, or a few close to the name they refer to, so most
    text is never read."""

    def __init__(self, text: str, vocab: Vocabulary):
        self.text, self.vocab = text, vocab
        self.found: list[tuple[int, str]] = []
        self.starts: list[int] = []
        self._unread = iter(())
        self._read_to = -1

    def read(self, pos: int, after: int) -> None:
        # Restarted a little before `after`, so that a mention whose title begins there is read
        # whole, as a scan from the top of the article would read it.
        lo = max(after - _MENTION_MARGIN, 0)
        if lo > self._read_to:
            self.found.clear()
            self.starts.clear()
            self._unread = self.vocab.mention_scan.finditer(self.text, lo)
            self._read_to = lo
        while self._read_to < pos:
            m = next(self._unread, None)
            if m is None:
                self._read_to = len(self.text)
                break
            self._read_to = m.start("name")
            if self.text[m.start() : m.start("name")].endswith(self.vocab.byline_titles):
                continue  # 记者陶常宁, 記者丁維瑀／綜合報導: who wrote it, not who 他/她 is
            if _object_at(self.text, m.start()):
                continue  # 是否仍與前主委李石增聯繫，他表示: the one spoken of, not the subject 他 goes on with
            self.found.append((m.start("name"), self.vocab.end_name(m.group("name"))))
            self.starts.append(m.start("name"))


class _Attributor:
    """Attribution over one article: for each cue, its subject and the speaker that subject names
    (a pronoun or an anaphor resolved), the reported region that speaker's words cover, and then
    the quotations no cue took, tied to the speaker in reach."""

    def __init__(self, seg: Segments, cues: list[CueMatch], vocab: Vocabulary):
        self.seg, self.text, self.vocab = seg, seg.text, vocab
        self.cues = sorted(cues, key=lambda c: c.start)
        self.cue_starts = sorted(c.cue[0] for c in cues)
        self.state = _State()
        self.mentions = _Mentions(seg.text, vocab)
        self._known: dict[tuple[str, int], bool] = {}
        self.out: list[Attribution] = []
        self.regions: list[Region] = []
        self.consumed: set[Quote] = set()

    def run(self) -> tuple[list[Attribution], list[Region]]:
        for cue in self.cues:
            self._cue(cue)
        self._loose_quotations()
        self.out.sort(key=lambda a: a.trigger)
        self.regions.sort(key=lambda r: (r.start, r.end))
        return self.out, self.regions

    # --- what the article says about words ---------------------------------------------------

    def known(self, word: str, times: int = 0) -> bool:
        # A bare word is a name when the article uses it as one more than once: after a title,
        # glossed (懷特(Gary White)), before a cue, or simply three times. `times`: how often at least.
        key = (word, times)
        if key not in self._known:
            text, vocab = self.text, self.vocab
            n = text.count(word)
            if times:
                self._known[key] = n >= times
            else:
                # the places where the word is used so, each counted once (CEO麗莎里德(Melissa Reed) is one
                # place; 醫師身份出席說明 too): a word after a title and before a cue once is no name yet
                self._known[key] = n >= 3 or len(places(text, word, vocab.titles, vocab.cue_verbs)) >= 2
        return self._known[key]

    def someone_else(self, a: int, b: int, who: Speaker) -> bool:
        # 柯文哲…表示，…，對此，前總統李登輝批評…，「……」 / 小嫻坦言…，爸爸對她說了一句：「……」: another
        # person named, or another verb of speech, between a cue and a quotation of its sentence
        if _SPEECH_VERB.search(self.text, a, b):
            return True
        vocab = self.vocab
        return any(vocab.end_name(m.group("name")) != who.name for m in vocab.mention_scan.finditer(self.text, a, b))

    # --- who 该银行, 院方, 他 and 她 are ---------------------------------------------------------

    def org_before(self, name: str, pos: int) -> Speaker | None:
        # 该银行, 該公司, 院方: the last organisation with that ending, among those that spoke,
        # else as the text names it before (長庚醫院今日舉行…, then 院方表示).
        text, vocab = self.text, self.vocab
        if name in vocab.party_anaphors:
            suffix = vocab.party_anaphors[name]
        else:
            suffix = next(name[len(p):] for p in vocab.anaphor_prefixes if name.startswith(p))
        if not suffix:
            return None
        for org in reversed(self.state.orgs):
            if org.endswith(suffix) and len(org) > len(suffix) and not org.startswith(vocab.anaphor_prefixes):
                return Speaker(name=org)
        lo = max(0, pos - 3000)
        i = text.rfind(suffix, lo, pos)
        while i > lo:
            j = i
            while j > lo and i - j < 12 and _NAME_CHAR.match(text, j - 1) and text[j - 1] not in _ORG_BOUNDARY:
                j -= 1
            org = text[j : i + len(suffix)]
            # 行 of 行长 is a title, not a bank
            if not any(text.startswith(t, i) for t in vocab.titles if len(t) > len(suffix)) and i - j >= 2 and not org.startswith(vocab.anaphor_prefixes) and org[0] not in vocab.not_name_start:
                return Speaker(name=org)
            i = text.rfind(suffix, lo, i)
        return None

    def sentence_subject(self, pos: int, only_this: bool = False) -> tuple[int, str] | None:
        # 陳美玲今天出席記者會。她說，…: a person named as the subject of the sentence before (or
        # of this one, before the pronoun), named again elsewhere in the article.
        seg, text, vocab = self.seg, self.text, self.vocab
        si = seg.sentence_index(pos)
        spoke = {x.speaker.name for x in self.state.said}
        for sj in (si,) if only_this else (si, si - 1):
            if sj < 0:
                break
            sent = seg.sentences[sj]
            a = _opening(text, sent.start, min(sent.end, pos), vocab)
            if a >= pos - 1 or seg.in_quote(a):
                continue
            for n in (4, 3, 2):
                cand = text[a : a + n]
                # (an organisation that spoke is no 他/她: 國台辦發言人安峰山…，他指出 is the spokesman)
                if (n < 4 and (vocab.is_name(cand) or vocab._honorific(cand) or vocab._nickname(cand)) and text.count(cand) >= 2
                        or cand in spoke and not cand.endswith(vocab.org_suffixes)):
                    return a, cand  # (小张深感…。他说: a nickname too; 水庆霞在去年…，她: one who spoke before)
            # 國台辦發言人安峰山28日也就此議題發表看法，他指出: a title and a name open the sentence
            c = seg.clause(a)
            lead = text[a : min(c.end, pos)].rstrip("，,。；;：: ")
            found = vocab.speaker(lead, self.known) if 4 <= len(lead) <= 40 else None
            if found and found[3] == "person" and found[2] and lead[found[0] - 1] != "的" \
                    and not _object_at(lead, found[0] - max((len(t) for t in vocab.titles if lead.endswith(t, 0, found[0])), default=0)):
                name = lead[found[0] : found[1]]  # (针对抽检发现的问题，她表示: no title, no name)
                if text.count(name) >= 2 and (vocab.is_name(name) or self.known(name)):
                    return a + found[0], name
            if sj == si:
                # 時隔9個月，鄭明輝終於…，但被問到是否還有與李石增聯絡，他表示: a name opening a later clause
                found_at = self._clause_opener(sent.start, pos)
                if found_at is not None:
                    return found_at
            if sj == si - 1 or a > sent.start:
                break
        return None

    def _clause_opener(self, start: int, pos: int) -> tuple[int, str] | None:
        seg, text, vocab = self.seg, self.text, self.vocab
        ci = bisect.bisect_right(seg.clause_starts, pos) - 1
        while ci > 0 and seg.clause_starts[ci - 1] > start:
            ci -= 1
            a = _opening(text, seg.clause_starts[ci], pos, vocab)
            if a >= pos - 1 or seg.in_quote(a) or _object_at(text, a) or any(s.at < a < s.reach for s in self.state.said[-3:]):
                continue  # (Dustin Moskovitz 表示，马斯克…，他同时…: a name in someone's words is spoken of)
            for n in (3, 2):
                cand = text[a : a + n]
                if (vocab.is_name(cand) or vocab._honorific(cand) or vocab._nickname(cand)) and text.count(cand) >= 2 \
                        and text[a + n : a + n + 1] not in vocab.pronouns:
                    return a, cand
        return None

    def referent(self, pos: int) -> Speaker | None:
        # 他/她: the most recent named person, whether a speaker or a person just introduced.
        state, seg, mentions = self.state, self.seg, self.mentions
        met = _REPORTER_MET.search(self.text, seg.sentence(pos).start, pos)
        if met is not None:
            return self._met(met["whom"])
        mentions.read(pos, state.last_person_at)
        i = bisect.bisect_left(mentions.starts, pos) - 1
        best: tuple[int, str] | None = None
        if i >= 0 and mentions.found[i][0] > state.last_person_at and not seg.in_quote(mentions.found[i][0]):
            best = mentions.found[i]
            # 他 after a paragraph naming three or more people since the last speaker (his father, the
            # father's friends…): the story is still about that speaker, not about the last name read
            j = bisect.bisect_right(mentions.starts, state.last_person_at)
            others = {n for at, n in mentions.found[j : i + 1] if not seg.in_quote(at)} - {getattr(state.last_person, "name", None)}
            if state.last_person is not None and len(others) >= _CROWDED:
                best = None
        subj = self.sentence_subject(pos)
        if subj is not None and subj[0] > state.last_person_at and (best is None or subj[0] > best[0]):
            best = subj
        if best is not None:
            name = best[1]
            return Speaker(name=name, title=state.titles.get(name))
        return state.last_person

    def _contacted(self, start: int, end: int) -> Speaker | None:
        found = None
        for m in _REPORTER_REACHED.finditer(self.text, start, end):
            found = m
        if found is None:
            return None
        whom = found["whom"]
        got = self.vocab.speaker(whom, self.known)
        if got is None or got[3] not in ("person", "role", "org") or got[1] != len(whom):
            return None
        return Speaker(name=whom[got[0] : got[1]], title=got[2])

    def _met(self, whom: str) -> Speaker | None:
        # 记者见到了小伙子的姑姑王宗凤，她介绍 / 记者联系到了一位商户，他告诉记者: the one the reporter
        # met, named or by role; someone not named so (视频发布者) is no one we can name
        vocab = self.vocab
        for n in (3, 2):
            if len(whom) > n and vocab.is_name(whom[-n:]):
                return Speaker(name=whom[-n:])
        found = vocab.speaker(whom, self.known)
        if found is not None and found[3] in ("person", "role"):
            return Speaker(name=whom[found[0] : found[1]], title=found[2])
        return None

    # --- one cue: its subject, its speaker, its reported region ----------------------------------

    def _cue(self, cue: CueMatch) -> None:
        seg, text = self.seg, self.text
        if seg.in_quote(cue.cue[0]):
            return  # 我认为 inside a quotation is the quoted speaker's, not a new cue
        para = seg.para(cue.start)
        sent = seg.sentence(cue.cue[0])
        clause = self._clause(cue, sent)
        found_subject = self._subject(cue, clause)
        if found_subject is None:
            return
        subject_start, subject = found_subject
        said = self._speaker(cue, para, sent, clause, subject_start, subject)
        if said is None:
            return
        speaker, name_at, kind = said
        cue_text = text[cue.cue[0] : cue.cue[1]]
        if speaker.cue != cue_text:
            speaker = speaker.model_copy(update={"cue": cue_text})
        state = self.state
        # 吳澄澄指出，行政院稱…，痛批政府說謊: a cue inside another speaker's words of this sentence is
        # reported by them; the next subjectless cue is theirs again
        last = state.said[-1] if state.said else None
        inside = (last is not None and last.speaker is state.last_any and state.last_any_sentence == sent.start
                  and last.at < cue.cue[0] < last.reach)
        if not inside:
            state.last_any, state.last_any_sentence = speaker, sent.start
        # 据《纽约时报》报道，…，随后宣布 / 朝中社報導，金正恩…告訴習近平，「……」: an outlet reports
        # what others did and said; the cues and quotations in its report are theirs, not its own
        reported = cue_text in _REPORTS
        if reported or text[cue.cue[1] - 1 : cue.cue[1] + 1].strip(" 　")[-1:] in ("：", ":"):
            # 警方提示：不法分子…，声称…: after a colon the sentence is the words said, and a cue
            # with no subject in them is the subject of those words', not the speaker's again
            state.last_any_sentence = -1
        if subject and kind == "pronoun" and speaker is not state.last_person:
            state.last_person, state.last_person_at = speaker, subject_start
        explicit = cue.subject is not None
        trigger = (cue.start, cue.end) if explicit else (name_at, cue.cue[1])
        self._reported_region(cue, speaker, para, sent, clause, min(subject_start, trigger[0]), trigger, reported)

    def _clause(self, cue: CueMatch, sent: Segment) -> Segment:
        seg = self.seg
        clause = seg.clause(cue.cue[0])
        ci = bisect.bisect_right(seg.clause_starts, cue.cue[0]) - 1
        while ci > 0 and clause.start > sent.start and _UNCLOSED.search(self.text, sent.start, clause.start):
            ci -= 1  # 星衡科技（股票代码：301975）昨晚发布: a colon inside a parenthesis ends no clause
            clause = Segment(seg.clauses[ci].start, clause.end)
        return clause

    def _subject(self, cue: CueMatch, clause: Segment) -> tuple[int, str] | None:
        """Where the subject of a cue starts, and its text ("" when the cue has none), or None
        when the subject is refused outright (impersonal, not yet said, a parenthesis's words)."""
        subject_start, subject_end = cue.subject if cue.subject is not None else (clause.start, cue.cue[0])
        subject_start, subject_end = _subject_bounds(self.text, subject_start, subject_end, self.vocab)
        subject = self.text[subject_start:subject_end]
        if self.vocab.refuses(subject) or ("（" in subject or "(" in subject) and _UNCLOSED.search(subject):
            return None  # (_UNCLOSED: 希望能够使用待缴资本（即成员国政府已承诺: a parenthesis's words)
        return subject_start, subject

    def _speaker(self, cue: CueMatch, para: Segment, sent: Segment, clause: Segment, subject_start: int,
                 subject: str) -> tuple[Speaker, int, str | None] | None:
        """The speaker a cue's subject names, where the name starts, and its kind (None when the
        subject is empty and the speaker goes on from before); None when no one said it."""
        text, vocab, state, seg = self.text, self.vocab, self.state, self.seg
        explicit = cue.subject is not None
        if not subject:
            # 并表示 / 还指出: the subject of the sentence's previous cue goes on speaking; so does
            # the speaker of the sentence before when this one opens with the cue (…吳念真也舉例，…。
            # 建議法務部，…)
            si = seg.sentence_index(cue.cue[0])
            opens = si > 0 and subject_start <= trim(text, sent).start and seg.sentences[si - 1].start >= para.start
            if explicit or text[cue.cue[0] : cue.cue[1]] in _REPORTS:
                return None
            if state.last_any is None or not (
                    state.last_any_sentence == sent.start or opens and state.last_any_sentence == seg.sentences[si - 1].start):
                opener = self._opener(cue, sent)
                return (opener, cue.cue[0], None) if opener is not None else None
            turned = self._titled_clause_before(cue)
            if turned is not None:
                state.last_any = turned  # (並強調 after it goes on with the same person)
                return turned, cue.cue[0], None
            return state.last_any, cue.cue[0], None
        if subject.startswith(("对方", "對方")):
            # 记者联系上刀郎经纪方，电话接通…后，对方表示: the party the reporter reached; else whose side is not said
            who = self._contacted(seg.sentences[max(seg.sentence_index(subject_start) - 1, 0)].start, subject_start)
            return (who, subject_start, "role") if who is not None else None
        # 港鐵表示，: a bare word that is the whole clause before the cue and a comma is a name
        known = self.known
        alone = subject_start == trim(text, clause).start and text[cue.end : cue.end + 1] in ("，", ",", "：", ":")
        found = vocab.speaker(subject, known, (lambda w, times=0: len(w) <= 3 or known(w, times)) if alone else None)
        if found is None:
            return None  # a clause, a crowd or a heading: no one said it (when in doubt, nothing)
        a, b, title, kind = found
        if not self._fits_rule(cue, subject, a, b, kind):
            return None
        name = subject[a:b]
        if kind == "pronoun":
            speaker = self.referent(subject_start)
            if speaker is None:
                return None
            if name in _PLURAL and not speaker.name.endswith(vocab.titles):
                return None  # 他们表示 after one named person (王芳, 麗莎里德): who they are is not said; after 村民 they are
        elif kind == "anaphor":
            speaker = self.org_before(name, subject_start)
            if speaker is None:
                return None
        else:
            if kind == "name" and title is None:
                # 麗莎里德還表示 where the article wrote CEO麗莎里德 before: a person, whom 她 may mean
                before = title_before(text, name, subject_start, vocab.titles)
                if before is not None and before not in vocab.byline_titles:
                    kind, title = "person", before
            name, title = self._fuller(name, title, kind, subject_start)
            if title:
                state.titles[name] = title
            speaker = Speaker(name=name, title=title or state.titles.get(name), cue=text[cue.cue[0] : cue.cue[1]])
            if kind not in ("org", "name") and not vocab.is_org(name, title) and text[cue.cue[0]:cue.cue[1]] not in _REPORTS:
                state.last_person, state.last_person_at = speaker, subject_start  # 港鐵表示, Fox News報導: not a 他/她
            else:
                state.orgs.append(speaker.name)
        return speaker, subject_start + a, kind

    def _opener(self, cue: CueMatch, sent: Segment) -> Speaker | None:
        """柯文哲18日出席…論壇擔任與談人，直言… / 星河湾物业公司认可…，但主张…: a cue with no subject in a
        later clause of a sentence that someone opens, named as a person again in the article or one
        who spoke before, with no one else named, nothing quoted and at most two clauses between."""
        text, vocab, seg = self.text, self.vocab, self.seg
        a = _opening(text, sent.start, cue.cue[0], vocab)
        if a >= cue.cue[0] or seg.in_quote(a):
            return None
        first = seg.clause(a)
        if first.end > cue.cue[0] or sum(text.count(c, first.end, cue.cue[0]) for c in "，,；;") > 3:
            return None
        if _WORDS_QUOTED.search(text, a, cue.cue[0]) or _SAID_BETWEEN.search(text, a, cue.cue[0]) \
                or vocab.cue_verb_re is not None and vocab.cue_verb_re.search(text, a, cue.cue[0]):
            return None  # someone's words, or a verb of speech, between: whose they are is not sure
        subject = self.sentence_subject(cue.cue[0], only_this=True)
        if subject is not None and subject[0] == a:
            name = subject[1]
        else:
            name = next((text[a:k] for k in range(min(first.end, a + 14), a + 3, -1) if self._org_opening(text[a:k])), None)
            if name is None:
                return None
        if text[a + len(name) : a + len(name) + 1] in ("的", "之") or vocab.kind(name, None, self.known) is None:
            return None  # 美國計劃生育聯盟的…辦公室: whose office, not who spoke; 文章: no one
        if any(vocab.end_name(m.group("name")) != name for m in vocab.mention.finditer(text, a + len(name), cue.cue[0])):
            return None  # 记者采访了村民王某，表示…: someone else named between
        return next((x.speaker for x in reversed(self.state.said) if x.speaker.name == name), None) \
            or Speaker(name=name, title=self.state.titles.get(name))

    def _titled_clause_before(self, cue: CueMatch) -> Speaker | None:
        # 李應元進一步說，行政院長賴清德去年…主持記者會時，特別強調…: the clause just before the cue opens
        # with a titled person (named again in the article) and says nothing itself: that person speaks
        text, vocab, seg = self.text, self.vocab, self.seg
        ci = bisect.bisect_right(seg.clause_starts, cue.cue[0]) - 1
        if ci <= 0 or seg.clause_starts[ci] < cue.cue[0] - 2:
            return None  # the cue does not open its clause
        prev = seg.clauses[ci - 1]
        if seg.sentence(prev.start).start != seg.sentence(cue.cue[0]).start or seg.in_quote(prev.start):
            return None
        a = _opening(text, prev.start, prev.end, vocab)
        lead = text[a : prev.end].rstrip("，,；; ")
        if not 4 <= len(lead) <= 40 or _SAID_BETWEEN.search(lead) or vocab.cue_verb_re is not None and vocab.cue_verb_re.search(lead):
            return None
        found = next((f for n in range(min(len(lead), 12), 3, -1) if (f := vocab.speaker(lead[:n], self.known)) is not None
                      and f[3] == "person" and f[2] and f[0] > 0 and f[1] == n), None)
        if found is None:
            return None
        name = lead[found[0] : found[1]]
        if not (vocab.is_name(name) or text.count(name) >= 2) or name == getattr(self.state.last_any, "name", None):
            return None
        return Speaker(name=name, title=found[2])

    def _org_opening(self, name: str) -> bool:
        # 星河湾物业公司认可…: an organisation the article names again, with an ending of two characters or more
        vocab = self.vocab
        return vocab._org_ending(name) and not vocab.opens_clause(name) and vocab.kind(name, None, _never) == "org" \
            and self.text.count(name) >= 2

    def _fuller(self, name: str, title: str | None, kind: str, pos: int) -> tuple[str, str | None]:
        """The speaker as the article named it before, where the cue calls it short: 經紀人 for the
        大S經紀人廖瑋琪 who spoke, 法院 for the 鹤城法院 that opened a sentence, 安倍 for 首相安倍晉三.
        Each longer form holds the short one, so a reader looking for either finds it."""
        vocab, text = self.vocab, self.text
        if kind == "role" and name in vocab.titles and name not in vocab.generic_roles:
            who = {n for n, t in self.state.titles.items() if t.endswith(name)}
            if len(who) == 1:
                (one,) = who
                return one, self.state.titles[one]
        elif kind == "org" and len(name) >= 2 and name in vocab.org_suffixes:
            opening = regex.compile(_CLAUSE_OPENING_ORG.format(regex.escape(name)))
            for m in reversed(list(opening.finditer(text, max(0, pos - 3000), pos))):
                org = m["org"]
                while (head := vocab.head.match(org)) and head.end():
                    org = org[head.end() :]
                if len(org) > len(name) and vocab.kind(org, None, _never) == "org" and not self.vocab.opens_clause(org):
                    return org, title
        elif kind in ("person", "name") and len(name) in (2, 3) and _HAN.fullmatch(name):
            longer = set()
            i = text.find(name, 0, pos)
            while i >= 0:
                more = _HAN_PREFIX.match(text, i + len(name), min(i + len(name) + 2, pos))
                if more and text.endswith(vocab.titles, 0, i):
                    longer.add(more.group())
                i = text.find(name, i + 1, pos)
            longer = {x for x in longer if x[0] not in vocab.cut and x[0] not in vocab.name_stop and text.count(name + x) >= 2}
            if len(longer) == 1:
                return name + longer.pop(), title
        return name, title

    def _fits_rule(self, cue: CueMatch, subject: str, a: int, b: int, kind: str) -> bool:
        """Whether the speaker found in [a, b) of the subject is one this cue's rule can have."""
        vocab = self.vocab
        if cue.rule.startswith(_COLON_RULES) and (
                b < len(subject) and (kind == "name" or len(subject) - b > 8)
                or subject.endswith(_DOCUMENTS) or subject.endswith(vocab.field_labels) or subject.endswith(_ASKS) or "【" in subject or "】" in subject
                or subject.count("（") + subject.count("(") != subject.count("）") + subject.count(")")
                or kind == "role" and b - a > 4 or _LATIN_NAME.fullmatch(subject[a:b]) and " " not in subject[a:b]
                or kind == "org" and b - a <= 2 and subject[a:b] in vocab.org_suffixes and subject[b - 1] != "方"):
            return False  # 通知上用英文写着：“……”, 央视网消息：, 【责任编辑：, 地址：, Pro： name no speaker; 外方：, 懷特： do
        if cue.rule == "attribution.reports" and any(t in subject for t in vocab.byline_titles):
            return False  # 东方网记者程琦7月26日报道：: a byline
        if cue.rule == "attribution.colon-answer" and kind not in ("person", "name"):
            return False  # 记者问：: the interviewer asks, and says nothing to check
        if cue.rule.startswith(_PUBLISHER_RULES) and kind not in ("org", "name", "anaphor") \
                and not _LATIN_NAME.fullmatch(subject[a:b]):
            return False  # 武汉连续发布高温预警: who publishes or reports is an organisation or an outlet
        return True

    def _reported_region(self, cue: CueMatch, speaker: Speaker, para: Segment, sent: Segment, clause: Segment,
                         said_from: int, trigger: tuple[int, int], reported: bool) -> None:
        """The claim for a cue, and the reported speech its speaker's words cover: the quotation
        right before the speaker, the rest of the sentence, a quotation opening there, and the
        quotations later in the sentence (claims of their own)."""
        seg, text = self.seg, self.text
        shown = trim(text, clause)
        span_start = min(shown.start, trigger[0])
        said_at = cue.end
        while said_at < sent.end and text[said_at] in "，,：: \u3000":
            said_at += 1
        said_more = _WORD_CHAR.search(text, said_at, sent.end) is not None
        indirect = said_more and said_at not in seg.speech_at
        # “……”他说。 / “……”他说，“……”: the quotation right before the speaker is what he
        # said, one claim with the cue. When the cue goes on with indirect speech (“……”她说，
        # 她将……), the quotation stands as a claim of its own, attributed below.
        i = bisect.bisect_right(seg.speech_ends, said_from) - 1
        before = seg.speech[i] if i >= 0 and seg.speech[i].start >= para.start else None
        if before and not text[before.end : said_from].strip() and not indirect and not reported:
            span_start = before.start
            self.consumed.add(before)
            self.regions.append(Region(before.start, before.end, speaker))
        elif before and not text[before.end : said_from].strip() and not reported and self._said_words(before) \
                and not self._others_words(before.start, speaker):
            # 「……。」蘇小姐笑說，由於…: the speaker named right after it, then indirect speech
            self._own_quotation(before, speaker)
        self.out.append(Attribution(cue.rule, (span_start, max(shown.end, trigger[1])), trigger, speaker))
        reach = max(shown.end, trigger[1])
        # X表示，…… / X说：“……”: the rest of the sentence (and a quotation opening there) is his.
        if said_more:
            # 雖然她表示…，仍有傳言…: after a concession the sentence goes on in the narrator's voice
            end = seg.clause(said_at).end if text.startswith(_CONCEDES, shown.start) else sent.end
            opening = seg.speech_at.get(said_at)
            if opening:
                # 某某说：“……”: the quotation is a claim of its own (GUIDE), the cue says whose it is
                # (“……”他说 stays one claim with its cue, as the sample's gold has it)
                if not reported:
                    self._own_quotation(opening, speaker)
                self.consumed.add(opening)
                end = max(end, opening.end)
            self.regions.append(Region(cue.end, end, speaker))
            reach = max(reach, end)
            if not reported:
                self._quotations_in_sentence(cue, speaker, said_at, end)
        if not reported:
            self.state.said.append(_Said(trigger[0], para.start, speaker, said_from, reach))

    def _others_words(self, pos: int, speaker: Speaker) -> bool:
        # 游男…否認猥褻，還嗆辣反問一句，「……」檢警調查後認為: inside another speaker's reach
        return any(s.at < pos < s.reach and s.speaker.name != speaker.name for s in self.state.said[-3:])

    def _own_quotation(self, q: Quote, speaker: Speaker) -> None:
        if q in self.consumed:
            return
        self.consumed.add(q)
        self.regions.append(Region(q.start, q.end, speaker))
        self.out.append(Attribution("attribution.quotation", (q.start, q.end), (q.start, q.end), speaker))

    def _quotations_in_sentence(self, cue: CueMatch, speaker: Speaker, said_at: int, end: int) -> None:
        # 邢潇说，作为导演，很有压力，“这些年我多次进藏……”: a quotation later in the sentence of a
        # named cue is a claim of its own (GUIDE), unless another cue speaks first; one that is a
        # phrase of the sentence (散布“考试未过”等诈骗信息) is not a quotation of its words
        # (a cue inside a quotation, 「……我不認為……」, is the quoted words' own, not another speaker's)
        seg, text, cue_starts = self.seg, self.text, self.cue_starts
        nxt = bisect.bisect_right(cue_starts, cue.end)
        while nxt < len(cue_starts) and cue_starts[nxt] < end and seg.in_quote(cue_starts[nxt]):
            nxt += 1
        stop = min(end, cue_starts[nxt]) if nxt < len(cue_starts) else end
        k = bisect.bisect_right(seg.quote_starts, said_at)
        while k < len(seg.quotes) and seg.quotes[k].end <= stop:
            q = seg.quotes[k]
            k += 1
            after = bisect.bisect_right(cue_starts, q.end)
            # “……”陳景峻表示: a cue right after the quotation names whose it is
            spoken_after = after < len(cue_starts) and seg.near(q.end, cue_starts[after]) \
                and not any(c in text[q.end : cue_starts[after]] for c in "，,")
            if q in self.consumed or spoken_after or text[q.end : q.end + 1] in _PHRASE_GOES_ON \
                    or not self._said_words(q) or self.someone_else(cue.end, q.start, speaker):
                continue
            self.consumed.add(q)
            self.out.append(Attribution("attribution.quotation", (q.start, q.end), (q.start, q.end), speaker))

    def _said_words(self, q: Quote) -> bool:
        # In a named cue's sentence: a quotation of words said (…否則「門都關了，再怎麼衝也沒有用」), or a
        # short one that stands as a clause of its own (…，「醫療是首重之事」，…). A short one inside a
        # clause (推动“双减”落地) is a phrase in scare quotes.
        text = self.text
        if q.speech:
            return True
        before, after = text[q.start - 1 : q.start], text[q.end : q.end + 1]
        return q.end - q.start - 2 >= 5 and before in _CLAUSE_MARKS and (after in _CLAUSE_MARKS or after in "。！？!?" or not after)

    # --- quotations no cue took ------------------------------------------------------------------

    def _goes_on(self, q: Quote, who: Speaker, para: Segment) -> bool:
        # X说：“……”。“……” goes on with X's words; “……”一名乘客道谢 is someone else's.
        text = self.text
        next_at = q.end
        while next_at < para.end and text[next_at] in "，,。；; \u3000":
            next_at += 1
        return (next_at >= para.end or text[next_at] in "“「『" or text.startswith(who.name, next_at) or _THE_END.match(text, next_at)
                or text[next_at] in "他她" or self.seg.speech_at.get(next_at) is not None)

    def _subject_before(self, q: Quote) -> Speaker | None:
        # 他斥責KID，「……」 / 不過她也囑咐歌迷：「……」: the clause that opens the sentence and leads
        # into the quotation has a person (or 他/她) for its subject.
        text, vocab = self.text, self.vocab
        sent = self.seg.sentence(q.start)
        if _BYLINE.search(text, sent.start, q.start):
            return None  # （记者 孙莹 通讯员 张青）“……”: who wrote the report, not who said it
        a, b = _subject_bounds(text, sent.start, q.start, vocab)
        lead = text[a:b].rstrip("，,：: \u3000")
        if not lead or len(lead) > 30 or any(c in lead for c in "。！？；“”「」『』）)"):
            return None
        if lead[0] in "他她" and lead[1:2] not in ("们", "們", "人"):
            return self.referent(a)
        found = vocab.speaker(lead, lambda w, times=0: False)
        if found is None or found[0] != 0 and found[2] is None or found[3] not in ("person", "role", "org"):
            return None
        if found[2] and any(c in found[2] for c in "，,"):
            return None  # 孟某看了录像，网友留言“……”: a clause and a crowd, not a title and a name
        if found[3] == "person" and lead[found[1] : found[1] + 1] not in vocab.cut and found[1] < len(lead):
            return None  # 許多網友驚嚇發問: a name read into another word
        name = lead[found[0] : found[1]]
        return Speaker(name=name, title=found[2] or self.state.titles.get(name))

    def _loose_quotations(self) -> None:
        # A quotation is a claim only with its speaker in reach (GUIDE): right before the speaker
        # (“……”，孙晓说), or right after words already attributed (X说：“……”。“……”), or after a
        # clause whose subject is a person (他斥責KID，“……”), or as the
        # paragraph after a paragraph that a speaker's words end. A slogan, a title, scare quotes or
        # someone else's words (“……”被困女士道谢) have no speaker in reach: no claim.
        seg = self.seg
        # `covered` answers "is q inside some region?" in log time: among regions starting at or
        # before q, the furthest end.
        covered = sorted((r.start, r.end) for r in self.regions)
        cov_starts = [a for a, _ in covered]
        cov_reach = list(accumulate((b for _, b in covered), max))
        said = sorted(self.state.said, key=lambda x: x.at)
        said_pos = [x.at for x in said]
        for q in seg.speech:
            i = bisect.bisect_right(cov_starts, q.start) - 1
            if q in self.consumed or (i >= 0 and cov_reach[i] >= q.end):
                continue
            para = seg.para(q.start)
            j = bisect.bisect_left(said_pos, q.end)  # the first cue after the quotation
            k = bisect.bisect_left(said_pos, q.start) - 1  # the last cue before it
            n = seg.para_index[para.start]
            prev = seg.paras[n - 1] if n > 0 else None
            # (“……”。英国政府在声明中表示: a full stop after the quotation ends it; the next speaker's is next)
            if j < len(said) and said[j].para == para.start and not _FULL_STOP.match(self.text, q.end) and (
                    seg.between(q.end, said[j].said_from) or seg.near(q.end, said[j].said_from)):
                speaker = said[j].speaker
            elif k >= 0 and said[k].para == para.start and seg.between(said[k].reach, q.start) \
                    and self._goes_on(q, said[k].speaker, para):
                speaker = said[k].speaker
                said[k].reach = q.end
            elif (who := self._subject_before(q)) is not None:
                speaker = who
            elif (k >= 0 and q.start == para.start and seg.between(q.end, para.end) and prev is not None
                  and said[k].para == prev.start and said[k].reach >= prev.end - 1):
                speaker = said[k].speaker
                said[k].reach = q.end
            else:
                continue
            self.out.append(Attribution("attribution.quotation", (q.start, q.end), (q.start, q.end), speaker))
            self.regions.append(Region(q.start, q.end, speaker))


def attribute(
    text: str,
    paras: list[Segment],
    sentences: list[Segment],
    clauses: list[Segment],
    quotes: list[Quote],
    cues: list[CueMatch],
    vocab: Vocabulary,
) -> tuple[list[Attribution], list[Region]]:
    """Resolve cue matches and quotations to attribution claims and reported-speech regions."""
    return _Attributor(Segments(text, paras, sentences, clauses, quotes), cues, vocab).run()
