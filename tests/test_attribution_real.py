"""Attribution as real news writes it, through `claimcheck extract` (issue 13, item 3).

Each text is invented (names included) and shows one class of what real articles do: a speaker
is a person, an organisation or a pronoun that resolves to one, or there is no claim at all.
"""
from __future__ import annotations

import pytest

from .conftest import attributions


def speakers(tmp_path, text: str) -> list[str]:
    return [s for _, s in attributions(tmp_path, text)]


# --- what is not a speaker: no claim -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "標題\n\n網友議論紛紛，記者試圖聯繫對方，以及回應網友議論。",      # a clause before the cue
    "標題\n\n有人認為，這首歌另有所指。",                              # 有人
    "標題\n\n也有人猜測說，雞的腦部還在。",                            # 也有人
    "標題\n\n美國人認為，經濟將會好轉。",                              # a nationality
    "標題\n\n六成受訪者認為，房價太高。",                              # poll respondents
    "標題\n\n故不建議常常食用。",                                      # a connective
    "標題\n\n她表示不便透露傷亡情況。",                                # a negated cue
    "標題\n\n新华联文旅股份有限公司（以下简称“公司”）收到起诉状。",    # 以下简称
])
def test_no_speaker_no_claim(tmp_path, text):
    assert attributions(tmp_path, text) == []


def test_a_report_heading_before_a_colon_is_no_speaker(tmp_path):
    assert speakers(tmp_path, "原标题：股市回暖\n\n第一部分：市场回顾\n") == []


# --- the speaker read out of a longer subject ----------------------------------------------

@pytest.mark.parametrize("text,who", [
    ("標題\n\n現任議員周明達便坦言，選情確實危急。", "周明達"),            # 便 after the name
    ("標題\n\n環保署長李正元會前受訪強調，各部會都有責任。", "李正元"),    # 會前受訪
    ("標題\n\n政治中心／綜合報導台北市長柯文明日前表示，預算會增加。", "柯文明"),  # a byline glued on
    ("标题\n\n李凯文25日在多个社交媒体发文回应，感谢球迷支持。", "李凯文"),
    ("标题\n\n江宏达哽咽流泪说，事情让大家担心了。", "江宏达"),
])
def test_the_speaker_is_the_person_not_the_clause(tmp_path, text, who):
    assert speakers(tmp_path, text) == [who]


# --- colons: transcripts, headlines, a player's words ---------------------------------------

def test_an_interview_transcript_names_the_speaker_with_a_colon(tmp_path):
    text = "專訪\n\n記者：今年的目標是什麼？\n王曉明：我們希望拿到冠軍，也希望觀眾進場。\n"
    assert speakers(tmp_path, text) == ["王曉明"]


def test_a_party_in_a_headline(tmp_path):
    assert speakers(tmp_path, "外方：将继续推进合作\n\n双方昨日在京会谈。\n") == ["外方"]


def test_a_players_name_and_a_colon_before_her_words(tmp_path):
    text = "标题\n\n赛后接受采访时，她显得很平静。\n周婷婷：今天发挥得不好，下一场会更好。\n"
    assert speakers(tmp_path, text) == ["周婷婷"]


# --- cues real text uses ----------------------------------------------------------------------

@pytest.mark.parametrize("text,cue,who", [
    ("标题\n\n陈志远在微博发文称，产品下月上市。", "发文称", "陈志远"),
    ("標題\n\n林建宏嗆聲，這場比賽一定會贏。", "嗆聲", "林建宏"),
    ("標題\n\n張雅婷自言，當時非常緊張。", "自言", "張雅婷"),
    ("標題\n\n王國棟堅稱，自己沒有收錢。", "堅稱", "王國棟"),
    ("標題\n\n李家明表示，經濟仍有壓力。他又謂，失業率會回落。", "又謂", "李家明"),
    ("標題\n\n陳志強表示，工程延誤。他並指工期將延長三個月。", "並指", "陳志強"),
    ("標題\n\n美聯社引述衛生部長黃國輝指，疫苗已送達。", "指", "黃國輝"),
    ("标题\n\n分析师刘建华判断，降息将在年底前到来。", "判断", "刘建华"),
])
def test_cues_of_real_news(tmp_path, text, cue, who):
    got = attributions(tmp_path, text)
    assert any(t.endswith(cue) and s == who for t, s in got), got


# --- pronouns and organisations referred back to -------------------------------------------

def test_a_pronoun_is_the_person_just_introduced_not_the_last_speaker(tmp_path):
    text = "标题\n\n李大同表示，工程进展顺利。王小华随后抵达现场，王小华看了看进度。他说，还要两个月。\n"
    assert attributions(tmp_path, text)[-1] == ("他说", "王小华")


def test_a_byline_name_is_no_referent(tmp_path):
    text = "標題\n記者王小明／台北報導\n\n陳美玲今天出席記者會，陳美玲是新任局長。她說，新政策下月實施。\n"
    assert speakers(tmp_path, text) == ["陳美玲"]


@pytest.mark.parametrize("text,who", [
    ("标题\n\n宏远银行行长周立表示，经营稳健。该银行昨日发布公告称，净利润增长。", "宏远银行"),
    ("標題\n\n仁心醫院今日舉行記者會。院方表示，病人已脫離險境。", "仁心醫院"),
    ("標題\n\n大成科技公司昨日宣布裁員。該公司指出，訂單減少兩成。", "大成科技公司"),
])
def test_an_organisation_referred_back_to(tmp_path, text, who):
    assert speakers(tmp_path, text)[-1] == who


def test_that_organisation_named_nowhere_is_no_claim(tmp_path):
    assert attributions(tmp_path, "標題\n\n該公司指出，訂單減少兩成。") == []


# --- quotations (GUIDE: a direct quotation) -------------------------------------------------

def test_a_quotation_with_its_speaker_next_to_it(tmp_path):
    got = attributions(tmp_path, "标题\n\n“我们会坚持下去，直到完成。”李建国说。\n")
    assert got == [("李建国说", "李建国")]


def test_a_quotation_led_by_its_speaker_without_a_cue(tmp_path):
    text = "標題\n\n吳大偉表示，節目會繼續。他斥責對方，「工作的時候就要認真！」\n"
    assert ("「工作的時候就要認真！」", "吳大偉") in attributions(tmp_path, text)


@pytest.mark.parametrize("text", [
    "标题\n\n王丽表示，项目进展顺利。社区门口挂着“安全第一，预防为主”的横幅。\n",                 # a slogan
    "标题\n\n王丽表示，项目进展顺利。条例规定，“任何单位不得擅自收集人脸信息，违者将被处罚”。\n",  # a law's text
    "标题\n\n王丽表示，项目进展顺利。“好险啊，差点就被困住了！”一名乘客边擦汗边向民警道谢。\n",     # someone else's words
])
def test_a_quotation_with_no_speaker_in_reach_is_no_claim(tmp_path, text):
    assert attributions(tmp_path, text) == [("王丽表示", "王丽")]
