"""Issue 13 item 4, from the command line: counts that point back (这三项, 两者, 父子两人, 前十名),
names that hold a numeral and figures of speech are no quantity claims, while the counts an
article asserts next to them still are. The article is invented; no sentence comes from a source."""
from __future__ import annotations

import yaml

from .conftest import run_cli

ARTICLE = (
    "新华网北京3月5日电  市政府昨天公布了三项措施。这三项措施将于下月实施，上述两家企业已表示支持。\n"
    "两者并不矛盾。父子兩人共同经营一家小店，兩款產品皆已售罄。\n"
    "在学生心目中的前十名职业里，“三年百亿投资计划”再次被提及，演唱会门票一票难求。\n"
    "该店前一天接待顾客120人，共开行57402次物资运输列车。咨询电话021-57936507。\n"
    "本次活动共有3000人参加，其中两人受伤，公司今年营收达3亿元。\n"
)


def _quantities(tmp_path):
    art = tmp_path / "counts.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "counts.claims.yaml"
    done = run_cli("extract", str(art), "-o", str(out), "--date", "2023-03-05")
    assert done.returncode == 0, done.stderr
    claims = yaml.safe_load(out.read_text(encoding="utf-8"))["claims"]
    return {c["trigger"]["text"]: c for c in claims if c["kind"] == "quantity"}


def test_counts_that_point_back_are_not_claims(tmp_path):
    found = _quantities(tmp_path)
    for words in ["这三项", "两家", "两者", "兩人", "兩款", "十名", "三年", "百亿", "一票", "一天",
                  "57402次", "021", "57936507"]:
        assert not [t for t in found if words in t], (words, sorted(found))


def test_asserted_counts_beside_them_stay(tmp_path):
    found = _quantities(tmp_path)
    assert found["三项"]["value"] == 3  # 公布了三项措施: the first mention counts
    assert found["120人"]["value"] == 120
    assert found["3000人"]["value"] == 3000
    assert found["两人"]["value"] == 2  # 其中两人受伤 asserts a count
    assert found["3亿元"]["value"] == 300000000
