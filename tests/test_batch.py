"""A folder of articles on several processes: same result as one process, failures contained."""
from __future__ import annotations

import random
import re
import shutil

from claims import store

from .conftest import SAMPLE


def _folder(tmp_path, n=8):
    src = tmp_path / "articles"
    src.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    rnd = random.Random(7)
    for i in range(n):
        varied = re.sub(r"(?<=超)\d+", lambda m: str(rnd.randint(10, 999)), text)
        (src / f"a{i:02d}.txt").write_text(varied, encoding="utf-8")
    return src


def test_parallel_and_serial_extraction_give_identical_claim_files(tmp_path, cli):
    src = _folder(tmp_path)
    r1 = cli("extract", str(src), "-o", str(tmp_path / "serial"), "--jobs", "1")
    r2 = cli("extract", str(src), "-o", str(tmp_path / "parallel"), "--jobs", "2")
    assert r1.returncode == 0 and r2.returncode == 0, r2.stderr
    names = sorted(p.name for p in (tmp_path / "serial").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "parallel").iterdir()) and len(names) == 8
    for name in names:
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "parallel" / name).read_bytes()
    assert "8 articles: 8 extracted, 0 unchanged, 0 failed;" in r2.stderr.decode()


def test_rerun_skips_unchanged_articles_and_redoes_changed_ones(tmp_path, cli):
    src = _folder(tmp_path, 4)
    out = tmp_path / "out"
    assert cli("extract", str(src), "-o", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    text = (src / "a01.txt").read_text(encoding="utf-8")
    (src / "a01.txt").write_text(text + "\n另据介绍，平台今年将新增用户200万。\n", encoding="utf-8")
    r = cli("extract", str(src), "-o", str(out))
    assert r.returncode == 0
    assert "4 articles: 1 extracted, 3 unchanged, 0 failed;" in r.stderr.decode()
    assert "a01.txt" in r.stderr.decode() and "merged: " in r.stderr.decode()
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.name.endswith(".claims.yaml")}
    assert [n for n in after if after[n] != before.get(n)] == ["a01.claims.yaml"]
    assert any(c.trigger.text == "200万" for c in store.load(out / "a01.claims.yaml").claims)


def test_other_rules_redo_an_unchanged_article(tmp_path, cli):
    src = _folder(tmp_path, 2)
    out = tmp_path / "out"
    assert cli("extract", str(src), "-o", str(out)).returncode == 0
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "x.yaml").write_text(
        "kind: ranking\nrules:\n  - id: x.pioneer\n    pattern: '领衔'\n    normalizer: ranking\n", encoding="utf-8")
    r = cli("extract", str(src), "-o", str(out), "--rules", str(rules))
    assert "2 articles: 2 extracted, 0 unchanged" in r.stderr.decode()
    assert any(c.rule == "x.pioneer" for c in store.load(out / "a00.claims.yaml").claims)


def test_bad_articles_are_reported_and_the_batch_goes_on(tmp_path, cli):
    src = _folder(tmp_path, 3)
    (src / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    (src / "empty.txt").write_bytes(b"   \n")
    sub = src / "more"
    sub.mkdir()
    shutil.copy(SAMPLE, sub / "a00.txt")  # same name as another article: would overwrite it
    r = cli("extract", str(src), "-o", str(tmp_path / "out"), "--jobs", "2")
    err = r.stderr.decode()
    assert r.returncode == 1
    assert "broken.txt: looks like a binary file" in err and "empty.txt: the article is empty" in err
    assert "has the same name as" in err
    assert "6 articles: 3 extracted, 0 unchanged, 3 failed;" in err
    assert len(list((tmp_path / "out").glob("*.claims.yaml"))) == 3
