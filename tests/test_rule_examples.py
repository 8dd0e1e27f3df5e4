"""Every example of every rule pack: texts a rule must find (with their values) and must not."""
from __future__ import annotations

import pytest

from claims.examples import match_problem, no_match_problem
from claims.rules import load_rules

_RULES = load_rules()


def _match_cases():
    for r in _RULES.rules:
        for i, ex in enumerate(r.spec.examples.match):
            marks = [pytest.mark.xfail(reason="known gap (todo)", strict=True)] if ex.todo else []
            yield pytest.param(r, ex, id=f"{r.id}:match{i}", marks=marks)


def _no_match_cases():
    for r in _RULES.rules:
        for i, text in enumerate(r.spec.examples.no_match):
            yield pytest.param(r, text, id=f"{r.id}:no{i}")


# One definition of "an example holds" (claims/examples.py), the one `extract --rules` applies.
@pytest.mark.parametrize("rule,ex", list(_match_cases()))
def test_rule_finds_its_examples(rule, ex):
    why = match_problem(rule, ex, _RULES)
    assert why is None, f"{rule.id}: {why}"


@pytest.mark.parametrize("rule,text", list(_no_match_cases()))
def test_rule_ignores_its_counterexamples(rule, text):
    why = no_match_problem(rule, text, _RULES)
    assert why is None, f"{rule.id}: {why}"


def test_every_rule_has_an_example():
    missing = [r.id for r in _RULES.rules if not r.spec.examples.match and not r.spec.examples.no_match]
    assert not missing


# --- a user's pack (`extract --rules`) is checked by the same definition ---------------------

USER_PACK = """\
kind: quantity
rules:
  - id: mine.machines
    pattern: '(?P<num>[0-9]+)(?P<unit>台)(?P<post>以上)'
    normalizer: quantity
    priority: 10
    examples:
      match:
        - {{text: 卖出5台以上, value: 5, unit: 台, comparator: {comparator}}}
"""

USER_CUES = """\
kind: attribution
rules:
  - id: mine.claims
    pattern: '(?P<cue>宣称)'
    normalizer: speaker
    priority: 10
    examples:
      match:
        - {{text: 公司发言人王建国宣称，今年销量将翻番, speaker: {speaker}}}
"""


def _user_pack(tmp_path, text):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "mine.yaml").write_text(text, encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("卖出5台以上。\n", encoding="utf-8")
    return folder, art


@pytest.mark.parametrize("pack, right, wrong, field", [
    (USER_PACK, {"comparator": "at_least"}, {"comparator": "at_most"}, "comparator"),
    (USER_CUES, {"speaker": "王建国"}, {"speaker": "李明"}, "speaker"),
])
def test_a_user_packs_example_is_held_to_every_field(tmp_path, cli, pack, right, wrong, field):
    # Before issue 17 the CLI compared value, value_high and unit only: a wrong comparator or
    # speaker in a user's example passed at load and failed nowhere.
    folder, art = _user_pack(tmp_path, pack.format(**wrong))
    r = cli("extract", str(art), "--rules", str(folder))
    err = r.stderr.decode()
    assert r.returncode != 0 and f"{folder / 'mine.yaml'}:9:" in err and f"'{field}': '{wrong[field]}'" in err, err
    (folder / "mine.yaml").write_text(pack.format(**right), encoding="utf-8")
    r = cli("extract", str(art), "--rules", str(folder))
    assert r.returncode == 0, r.stderr.decode()
