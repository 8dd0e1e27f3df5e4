"""The contract between rule packs and Python (issue 17 item 1): the named groups a pattern
captures are those its normalizer reads, and the lists and defines Python reads by name are in
the packs. A misspelt name on either side is refused at load with its place, not a rule that
silently extracts nothing."""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
import yaml

from claims import normalize, rules, vocab
from claims.errors import FileError
from claims.rules import builtin_dir, load_pack, load_rules

ROOT = Path(__file__).resolve().parent.parent

PACK = """\
kind: quantity
rules:
  - id: quantity.foo
    pattern: '(?P<num>[0-9]+)(?P<valeu>台)'
    normalizer: quantity
    examples:
      match:
        - {text: 卖出5台, value: 5}
"""


def _pack(tmp_path, text: str, name: str = "x.yaml") -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_an_unknown_group_is_refused_with_its_place(tmp_path):
    folder = _pack(tmp_path, PACK)
    with pytest.raises(FileError) as e:
        load_rules((folder,))
    known = ", ".join(rules.known_groups("quantity"))
    # line 4, and the column of `(?P<valeu>` inside the quoted pattern
    col = PACK.splitlines()[3].index("(?P<valeu>") + 1
    assert e.value.problems == [f"{folder / 'x.yaml'}:4:{col}: unknown group 'valeu' in rule quantity.foo; known: {known}"]
    assert "unit" in known.split(", ") and "valeu" not in known


def test_the_cli_refuses_the_pack_and_extracts_nothing(tmp_path, cli):
    folder = _pack(tmp_path, PACK)
    art = tmp_path / "a.txt"
    art.write_text("卖出5台设备。\n", encoding="utf-8")
    r = cli("extract", str(art), "--rules", str(folder))
    assert r.returncode != 0 and not r.stdout
    assert f"{folder / 'x.yaml'}:4:" in r.stderr.decode() and "unknown group 'valeu'" in r.stderr.decode()


def test_a_group_brought_in_by_a_define_is_placed_at_the_define(tmp_path):
    text = ("kind: quantity\ndefines:\n  fig: '(?P<nmu>[0-9]+)'\nrules:\n"
            "  - id: quantity.bar\n    pattern: '{{fig}}台'\n    normalizer: quantity\n")
    with pytest.raises(FileError) as e:
        load_pack(tmp_path / "y.yaml", text)
    assert e.value.problems[0].startswith(f"{tmp_path / 'y.yaml'}:3:9: unknown group 'nmu' in rule quantity.bar;")


def test_groups_the_pattern_refers_back_to_are_its_own(tmp_path):
    text = ("kind: date\nrules:\n  - id: date.sep\n"
            "    pattern: '(?P<date>20[0-9]{2}(?P<s>[-/])[01][0-9](?P=s)[0-3][0-9])'\n    normalizer: date\n")
    _, compiled = load_pack(tmp_path / "z.yaml", text)
    assert [r.id for r in compiled] == ["date.sep"]


def test_a_group_of_another_normalizer_is_unknown_here(tmp_path):
    # `day` is day_of_month's: under `date` nothing would read it.
    text = "kind: date\nrules:\n  - id: date.d\n    pattern: '(?P<day>[0-9]+)日'\n    normalizer: date\n"
    with pytest.raises(FileError, match=r"z.yaml:4:15: unknown group 'day' in rule date.d; known: t, cmp, date, md"):
        load_pack(tmp_path / "z.yaml", text)


def test_every_builtin_pattern_captures_only_groups_that_are_read():
    # load_rules() refuses otherwise; asserted apart so that the failure names the contract.
    for r in load_rules().rules:
        extra = set(r.pattern.groupindex) - set(rules.known_groups(r.normalizer))
        written = r.spec.pattern + "".join(r.pack.defines.values())
        assert all(f"(?P={g})" in written or f"(?({g})" in written for g in extra), (r.id, extra)


# --- each normalizer declares what it reads: checked against its code ----------------------


def _reads_in_code() -> dict[str, set[str]]:
    """The group names each function of normalize.py reads (`_g(m, "x")`, `m.span("x")`, ...),
    with the functions it calls."""
    tree = ast.parse(Path(normalize.__file__).read_text(encoding="utf-8"))
    direct: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        names, called = set(), set()
        for node in ast.walk(fn):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Name):
                    called.add(f.id)
                    if f.id == "_g" and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
                        names.add(node.args[1].value)
                elif isinstance(f, ast.Attribute) and f.attr in ("span", "start", "end", "group") and node.args \
                        and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    names.add(node.args[0].value)
        direct[fn.name], calls[fn.name] = names, called
    out = {}
    for name in direct:
        seen, todo, got = set(), [name], set()
        while todo:
            f = todo.pop()
            if f in seen or f not in direct:
                continue
            seen.add(f)
            got |= direct[f]
            todo += calls[f]
        out[name] = got
    return out


def test_each_normalizer_declares_every_group_it_reads():
    code = _reads_in_code()
    for name, fn in normalize.NORMALIZERS.items():
        declared = set(rules.known_groups(name))
        assert code[fn.__name__] <= declared, (name, code[fn.__name__] - declared)
    # and the engine's own reads are the engine groups (extract._trigger, extract._cue)
    engine = Path(ROOT / "claims" / "extract.py").read_text(encoding="utf-8")
    assert set(re.findall(r'\bspan\("(\w+)"\)|_group\(m, "(\w+)"\)', engine)) <= {
        ("t", ""), ("", "cue"), ("", "subject")}


def test_every_declared_group_has_a_meaning():
    for name, fn in normalize.NORMALIZERS.items():
        assert set(fn.groups) <= normalize.GROUPS.keys(), name
    assert set(normalize.ENGINE_GROUPS) <= normalize.GROUPS.keys()


# --- lists and defines Python reads by name --------------------------------------------------


def test_speakers_reads_only_the_lists_and_defines_it_declares():
    src = (ROOT / "claims" / "speakers.py").read_text(encoding="utf-8")
    lists = set(re.findall(r'lists\.get\("(\w+)"', src))
    lists |= {k for tup in re.findall(r"for k in \(([^)]*)\)", src) for k in re.findall(r'"(\w+)"', tup)}
    defines = set(re.findall(r'defines\.get\("(\w+)"', src))
    new = lists - set(vocab.SPEAKERS.lists)
    assert lists and not new, f"speakers.py reads {sorted(new)}: add them to claims/vocab.py SPEAKERS"
    new = defines - vocab.SPEAKERS.defines.keys()
    assert defines and not new, f"speakers.py reads {sorted(new)}: add them to claims/vocab.py SPEAKERS"


def _builtins_without(tmp_path, monkeypatch, pack: str, edit) -> Path:
    folder = tmp_path / "builtin"
    shutil.copytree(builtin_dir(), folder)
    data = yaml.safe_load((folder / pack).read_text(encoding="utf-8"))
    edit(data)
    (folder / pack).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(rules, "builtin_dir", lambda: folder)
    rules._load_rules.cache_clear()
    return folder


@pytest.fixture
def fresh_cache():
    rules._load_rules.cache_clear()
    yield
    rules._load_rules.cache_clear()


@pytest.mark.usefixtures("fresh_cache")
def test_a_list_speakers_needs_and_no_pack_has_is_refused(tmp_path, monkeypatch):
    _builtins_without(tmp_path, monkeypatch, "attribution.yaml", lambda d: d["lists"].pop("honorific"))
    with pytest.raises(FileError) as e:
        load_rules()
    assert e.value.problems == ["rules: no pack has the list 'honorific' (or it is empty), which claims/speakers.py reads"]


@pytest.mark.usefixtures("fresh_cache")
def test_a_define_that_lost_its_group_is_refused(tmp_path, monkeypatch):
    def rename(d):
        d["defines"]["mention"] = d["defines"]["mention"].replace("(?P<name>", "(?P<nom>")
    _builtins_without(tmp_path, monkeypatch, "attribution.yaml", rename)
    with pytest.raises(FileError, match=r"define \{\{mention\}\} does not capture the group 'name'"):
        load_rules()


@pytest.mark.usefixtures("fresh_cache")
def test_comparator_lists_are_needed_by_the_normalizers(tmp_path, monkeypatch):
    def drop(d):
        for k in [k for k in d["lists"] if k.startswith("cmp_")]:
            d["lists"][k] = []
    _builtins_without(tmp_path, monkeypatch, "quantity.yaml", drop)
    with pytest.raises(FileError) as e:
        load_rules()
    assert "rules: no pack has a list named cmp_…, which claims/normalize.py reads" in e.value.problems


# --- rules/README.md says what the code does ------------------------------------------------

README = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")


def _section(marker: str) -> str:
    start = README.index(f"<!-- {marker} -->")
    return README[start : README.index("<!-- end -->", start)]


def _rows(text: str) -> dict[str, list[str]]:
    out = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`"):
            out[cells[0].strip("`")] = cells[1:]
    return out


def test_the_readme_lists_what_each_normalizer_reads():
    rows = _rows(_section("groups by normalizer"))
    assert rows.keys() == normalize.NORMALIZERS.keys()
    for name, fn in normalize.NORMALIZERS.items():
        written = [] if rows[name][0] == "—" else [g.strip(" `") for g in rows[name][0].split(",")]
        assert written == list(fn.groups), name


def test_the_readme_says_what_every_group_means():
    rows = _rows(_section("group meanings")) | _rows(README[README.index("| group | means |"):])
    assert {g: rows[g][0] for g in normalize.GROUPS} == normalize.GROUPS


@pytest.mark.usefixtures("fresh_cache")
def test_the_readmes_worked_example_holds(tmp_path):
    from claims import examples
    from claims.extract import extract

    pack = re.search(r"```yaml\n(.*?)```", _section("worked example"), re.S).group(1)
    folder = _pack(tmp_path, pack, "telecom.yaml")
    loaded = load_rules((folder,))
    assert examples.failures(loaded) == []
    got = [(c.trigger.text, c.value, c.unit, c.change, c.rule) for c in extract(
        "本报讯 截至去年底，全省新增光缆1.5万芯公里。", "2024-01-01", rules=loaded) if c.kind.value == "quantity"]
    assert got == [("1.5万芯公里", 15000, "芯公里", "increase", "telecom.fibre-km")]
    assert "telecom.fibre-km" not in {c.rule for c in extract("本报讯 截至去年底，全省新增光缆1.5万芯公里。", "2024-01-01")}
    # the messages the README shows are the ones a user gets
    (folder / "telecom.yaml").write_text(pack.replace("(?P<unit>芯公里)", "(?P<valeu>芯公里)"), encoding="utf-8")
    rules._load_rules.cache_clear()  # load_rules caches by folder
    with pytest.raises(FileError) as e:
        load_rules((folder,))
    shown = e.value.problems[0].replace(str(folder), "myrules")
    assert shown in README
    (folder / "telecom.yaml").write_text(pack.replace("value: 15000", "value: 1500"), encoding="utf-8")
    rules._load_rules.cache_clear()
    shown = examples.failures(load_rules((folder,)))[0].replace(str(folder), "myrules")
    assert shown in README


@pytest.mark.usefixtures("fresh_cache")
def test_a_currency_added_in_a_pack_gets_its_code(tmp_path):
    # Currency words and their ISO codes are the iso_<code> lists of the packs: a desk adds one
    # with its rule, and the claim records the code, with no table in Python to extend.
    from claims.extract import extract

    text = ("kind: quantity\nlists:\n  iso_KZT: [坚戈]\nrules:\n  - id: mine.tenge\n"
            "    pattern: '(?P<num>[0-9]+)(?P<unit>坚戈)'\n    normalizer: quantity\n"
            "    examples:\n      match:\n        - {text: 售价500坚戈, value: 500, unit: 坚戈}\n")
    loaded = load_rules((_pack(tmp_path, text),))
    got = [(c.value, c.unit, c.currency) for c in extract("售价500坚戈。", "2024-01-01", rules=loaded)
           if c.kind.value == "quantity"]
    assert got == [(500, "坚戈", "KZT")]


def test_every_unit_of_a_count_back_is_counted():
    # date.yaml's ago_<unit> lists are what the pattern finds and what the normalizer counts.
    from claims.extract import extract

    lists = load_rules().lists
    want = {"ago_year": "2020", "ago_month": "2023-01", "ago_day": "2023-04-09"}
    for name, value in want.items():
        assert lists[name]
        for w in lists[name]:
            got = [(c.trigger.text, c.value) for c in extract(f"3{w}前发布", "2023-04-12") if c.kind.value == "date"]
            assert got == [(f"3{w}前", value)], w


def test_speakers_treats_apart_only_rules_it_declares():
    src = (ROOT / "claims" / "speakers.py").read_text(encoding="utf-8")
    read = set(re.findall(r'\brule == "([\w.-]+)"', src))
    read |= {r for tup in re.findall(r"_RULES = \(([^)]*)\)", src) for r in re.findall(r'"([\w.-]+)"', tup)}
    new = read - set(vocab.SPEAKERS.rules)
    assert read and not new, f"speakers.py treats {sorted(new)} apart: add them to claims/vocab.py SPEAKERS"


@pytest.mark.usefixtures("fresh_cache")
def test_a_rule_speakers_treats_apart_cannot_be_renamed_silently(tmp_path, monkeypatch):
    def rename(d):
        for r in d["rules"]:
            if r["id"] == "attribution.colon":
                r["id"] = "attribution.colon-speaker"
    _builtins_without(tmp_path, monkeypatch, "attribution.yaml", rename)
    with pytest.raises(FileError) as e:
        load_rules()
    assert e.value.problems == ["rules: no pack has the rule 'attribution.colon', which claims/speakers.py treats apart"]
