"""The engine on sentences that are not in the sample: one test per phenomenon of GUIDE.md."""
from __future__ import annotations

import pytest

from claims.extract import extract

REF = "2024-03-28"


def found(text: str, kind: str | None = None, date: str | None = REF):
    return [
        (c.kind.value, c.trigger.text, c.value, c.speaker.name if c.speaker else None)
        for c in extract(text, date)
        if kind is None or c.kind.value == kind
    ]


def values(text: str, kind: str, date: str | None = REF):
    return {t: v for _, t, v, _ in found(text, kind, date)}


# --- quantities -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,trigger,value,unit,comparator",
    [
        ("平台注册用户已逾300万", "逾300万", 3000000, None, "over"),
        ("全年接待游客2,350万人次", "2,350万人次", 23500000, "人次", None),
        ("营收约为12.5亿元", "约为12.5亿元", 1250000000, "元", "approx"),
        ("处理速度提高了近20倍", "近20倍", 20, "倍", "nearly"),
        ("带宽达到千G级别", "千G", 1000, "G", None),
        ("上线不到一年", "不到一年", 1, "年", "under"),
        ("净利润同比下降三成", "三成", 0.3, None, None),
        ("能耗降低到原来的五分之一", "五分之一", 0.2, None, None),
        ("失业率上升0.3个百分点", "0.3个百分点", 0.3, "个百分点", None),
        ("价格在3万至5万元之间", "3万至5万元", 30000, "元", None),
        ("共有1000余家企业参展", "1000余家", 1000, "家", "over"),
        ("耗资１２亿美元", "１２亿美元", 1200000000, "美元", None),
        ("营業額為兩千萬港元", "兩千萬港元", 20000000, "港元", None),
    ],
)
def test_quantity_forms(text, trigger, value, unit, comparator):
    claims = [c for c in extract(text, REF) if c.kind.value == "quantity"]
    assert [c.trigger.text for c in claims] == [trigger]
    c = claims[0]
    assert c.value == pytest.approx(value) and c.unit == unit and c.comparator == comparator


def test_money_records_its_currency():
    c = [c for c in extract("合同金额为3.2亿元人民币，另付500万美元", REF) if c.kind.value == "quantity"]
    assert [(x.value, x.unit, x.currency) for x in c] == [(320000000, "元", "CNY"), (5000000, "美元", "USD")]


@pytest.mark.parametrize(
    "text",
    [
        "一名工程师和一位专家参加了会议",
        "这只是一个开始，公司推出一系列措施",
        "打造一站式服务，赋能千行百业",
        "可以在此基础上进行二次开发，二者相辅相成",
        "另一方面，百度、360、昆仑万维也在布局",
        "特斯拉Model 3降价，标普500指数下跌",
        "中国平安（2318）发布公告",
        "根据131号文件的规定",
        "详情见https://example.com/2023/05/report",
        "全面推进5G网络建设",
        "这十分重要，千万不要忽视",
    ],
)
def test_numerals_that_assert_nothing_are_not_claims(text):
    assert found(text, "quantity") == [] and found(text, "date") == []


# --- dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,trigger,value",
    [
        ("新规将于7月1日起施行", "7月1日", "2024-07-01"),
        ("该公司成立于2015年", "2015年", "2015"),
        ("2023年12月，工厂投产", "2023年12月", "2023-12"),
        ("去年，销量创新高", "去年", "2023"),
        ("昨天下午，记者来到现场", "昨天", "2024-03-27"),
        ("上周五，双方签署协议", "上周五", "2024-03-22"),
        ("预计今年年底完工", "今年年底", "2024-12"),
        ("5月中旬将公布结果", "5月中旬", "2024-05"),
        ("会议于29日上午10时开幕", "29日上午10时", "2024-03-29T10:00"),
        ("明年第二季度上市", "明年第二季度", "2025"),
        ("2008至2013年间，产量翻了一番", "2008至2013年间", "2008"),
    ],
)
def test_date_forms(text, trigger, value):
    assert values(text, "date").get(trigger) == value, found(text, "date")


def test_minguo_years_in_a_taiwanese_text():
    text = "行政院表示，民國113年的預算將增加。這項計畫預計113年6月完成，經費由國家發展委員會編列。"
    v = values(text, "date")
    assert v["民國113年"] == "2024" and v["113年6月"] == "2024-06"


def test_month_without_year_takes_the_articles_year_and_none_is_invented():
    assert values("项目将在6月30日完工", "date", "2019-02-01") == {"6月30日": "2019-06-30"}
    assert values("项目将在6月30日完工", "date", None) == {"6月30日": "--06-30"}
    assert values("去年产量下降", "date", None) == {}


def test_the_dateline_is_the_documents_date_not_a_claim():
    article = "某市出台新政\n2022年08月15日 10:20\n\n该市将于9月1日起实施新政。\n"
    claims = extract(article)
    assert [(c.trigger.text, c.value) for c in claims if c.kind.value == "date"] == [("9月1日", "2022-09-01")]


# --- attributions -----------------------------------------------------------------------


def test_titled_speaker_is_split_into_title_and_name():
    c = [c for c in extract("华东理工大学教授、新材料研究中心主任李文博在接受记者采访时指出，行业仍处早期。")
         if c.kind.value == "attribution"]
    assert len(c) == 1
    assert c[0].speaker.name == "李文博"
    assert c[0].speaker.title == "华东理工大学教授、新材料研究中心主任"
    assert c[0].speaker.cue == "指出"
    assert c[0].trigger.text == "李文博在接受记者采访时指出"


def test_pronouns_resolve_to_the_most_recent_named_person():
    text = (
        "市发改委主任陈立表示，今年将新开工项目80个。\n"
        "据他介绍，其中45个项目已经完成审批。在他看来，关键在于落实。\n"
        "省长赵敏认为，要加快进度。她说，“力争提前完成。”\n"
    )
    got = [(t, s) for k, t, _, s in found(text, "attribution")]
    # (the quotation after 她说 is a claim of its own, GUIDE's "A direct quotation")
    assert got == [("陈立表示", "陈立"), ("据他介绍", "陈立"), ("在他看来", "陈立"), ("赵敏认为", "赵敏"), ("她说", "赵敏"),
                   ("“力争提前完成。”", "赵敏")]


def test_quotations_before_and_after_a_cue():
    text = (
        "“这是行业的转折点，我们必须抓住机会。”3月5日，公司总裁王海在发布会上表示，公司将加大投入。\n"
        "王海坦言，竞争很激烈。“但我们有信心在两年内实现盈利。”\n"
        "“成本还会下降。”王海说。\n"
    )
    att = [(t[:6], s) for k, t, _, s in found(text, "attribution")]
    assert att == [("“这是行业的", "王海"), ("王海在发布会", "王海"), ("王海坦言", "王海"),
                   ("“但我们有信", "王海"), ("王海说", "王海")]
    # “……”王海说 is one claim: the quotation and the cue together
    said = [c for c in extract(text, REF) if c.trigger.text == "王海说"][0]
    assert said.text.startswith("“成本还会下降。”")


def test_lists_of_companies_and_organisations_as_speakers():
    text = "此外，华为、小米、比亚迪等多家企业表示，将参与标准制定。国家统计局公布，去年GDP增长5.2%。"
    got = [(t, s) for k, t, _, s in found(text, "attribution")]
    assert got[0][1].startswith("华为、小米、比亚迪") and got[1][1] == "国家统计局"


def test_figures_in_reported_speech_carry_the_speaker():
    text = "分析师刘畅表示，预计全年销量将增长15%。记者了解到，该市新增就业岗位3万个。"
    got = {t: s for k, t, v, s in found(text, "quantity")}
    assert got == {"15%": "刘畅", "3万个": None}


def test_traditional_chinese_cues_and_corner_quotes():
    text = "經濟部長林志明強調，出口將成長兩成。「我們對下半年很有信心。」他說。"
    got = [(t, s) for k, t, _, s in found(text, "attribution")]
    assert ("林志明強調", "林志明") in got and ("他說", "林志明") in got


def test_passive_and_idiomatic_cues_are_not_attributions():
    assert found("该方案被认为是可行的。对企业来说，这是好事。也就是说，成本下降了。", "attribution") == []


# --- rankings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,trigger",
    [
        ("该市建成全国首个数据交易所", "首个"),
        ("这是亚洲规模最大的港口", "最大"),
        ("股价创历史新高", "历史新高"),
        ("销量排名第一", "排名第一"),
        ("中国队获得本届赛事首金", "首金"),
        ("公司首次实现盈利", "首次"),
    ],
)
def test_rankings(text, trigger):
    assert [t for _, t, _, _ in found(text, "ranking")] == [trigger]


@pytest.mark.parametrize("text", ["首先要明确目标", "单笔最高支付限额为5000元", "购买首套房可享优惠", "最终结果尚未公布", "首席执行官出席"])
def test_words_that_only_contain_a_superlative_character(text):
    assert found(text, "ranking") == []


# --- ids, offsets ------------------------------------------------------------------------


def test_ids_are_stable_across_runs_and_unrelated_edits(sample_text):
    first = extract(sample_text)
    assert [c.id for c in extract(sample_text)] == [c.id for c in first]
    assert len({c.id for c in first}) == len(first)
    # Edit one paragraph (a typo fix that changes its length): every claim elsewhere keeps its id.
    edited = sample_text.replace("基于此，阿里云提出了MaaS理念。", "基于此，阿里云提出了“MaaS”理念。")
    assert edited != sample_text
    para_start = sample_text.index("基于此")
    para_end = sample_text.index("\n", para_start)
    before = {c.id for c in first if not para_start <= c.span.start < para_end}
    after = {c.id for c in extract(edited)}
    assert before <= after


def test_every_offset_points_at_its_text(sample_text):
    for c in extract(sample_text):
        assert sample_text[c.trigger.start : c.trigger.end] == c.trigger.text
        assert sample_text[c.span.start : c.span.end] == c.text
        assert c.span.start <= c.trigger.start <= c.trigger.end <= c.span.end


def test_publishing_a_notice_that_says_is_one_attribution():
    # 发布公告称: 称 is the cue (attribution.said); 发布 is not a second, overlapping one.
    got = [c for c in extract("中国人民银行行长潘功胜表示，经济稳定。该行昨晚8时许发布公告称，下调存款利率。", "2024-03-28")
           if c.kind.value == "attribution"]
    assert [c.trigger.text[-1] for c in got] == ["示", "称"] and got[1].speaker.name == "中国人民银行"  # 该行: the bank named before
