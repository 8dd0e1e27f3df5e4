"""The names of an article's files (claims/naming.py), and that every part of claimcheck that
finds a claim file, a log or a lock by name finds the same ones."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from claims import audit, folder, lock, naming, opening, outputs, store
from claims.naming import claim_file_for

from .conftest import SAMPLE


def test_an_articles_files_are_named_once():
    art = Path("news/2024/a.b.txt")
    claims = naming.claim_file_for(art)
    assert claims == Path("news/2024/a.b.claims.yaml")
    assert naming.claim_file_in("out", art) == Path("out/a.b.claims.yaml")
    assert naming.log_path(claims) == Path("news/2024/a.b.audit.yaml")
    assert naming.log_path("x/a.claims.yml") == Path("x/a.audit.yaml")
    assert naming.log_path("x/checked.yaml") == Path("x/checked.audit.yaml")
    assert naming.lock_path(claims) == Path("news/2024/a.b.claims.yaml.lock")
    assert (naming.claim_stem("x/a.claims.yml"), naming.claim_stem(claims)) == ("a", "a.b")
    # The modules that name these files use these names, not copies of them.
    assert audit.log_path is naming.log_path and lock.lock_path is naming.lock_path
    assert claim_file_for is naming.claim_file_for


def test_a_log_leads_back_to_its_claim_file_whichever_suffix(tmp_path):
    for name in ("a.claims.yaml", "b.claims.yml", "c.yaml"):
        c = tmp_path / name
        c.write_text("schema: 2\n", encoding="utf-8")
        assert naming.claim_file_of_log(naming.log_path(c)) == c
    assert naming.claim_file_of_log(tmp_path / "gone.audit.yaml") is None


def test_outputs_know_every_claim_file_log_and_lock_by_name(tmp_path):
    for name, what in (("a.claims.yml", "a claim file"), ("a.claims.yaml", "a claim file"),
                       ("a.audit.yaml", "an audit log"), ("a.claims.yml.lock", "a lock")):
        p = tmp_path / name
        p.write_text("x\n", encoding="utf-8")
        assert outputs._what_it_is(p, b"x\n") == what, name


def _extract_both(tmp_path, cli) -> Path:
    """A folder with one claim file of each suffix, each beside its article."""
    desk = tmp_path / "desk"
    (desk / "sub").mkdir(parents=True)
    for art, claims in (("a.txt", "a.claims.yaml"), ("sub/b.txt", "sub/b.claims.yml")):
        shutil.copy(SAMPLE, desk / art)
        r = cli("extract", str(desk / art), "-o", str(desk / claims))
        assert r.returncode == 0, r.stderr
    return desk


def test_the_exports_find_the_claim_files_the_review_ui_lists(tmp_path, cli):
    desk = _extract_both(tmp_path, cli)
    # hidden ones are no document of the desk's, for the UI as for the exports
    (desk / ".trash").mkdir()
    shutil.copy(desk / "a.claims.yaml", desk / ".trash" / "old.claims.yaml")
    shutil.copy(desk / "a.claims.yaml", desk / "sub" / ".b.claims.yml")
    ui = folder.claim_files(desk)
    assert [p.name for p in ui] == ["a.claims.yaml", "b.claims.yml"]
    assert opening.claim_files([str(desk)]) == ui
    assert opening.beside([str(desk / "sub" / "b.claims.yml")]) == [desk / "sub" / "b.claims.yml"]


def test_audit_export_of_a_folder_includes_claims_yml_files(tmp_path, cli):
    # Issue 17: `*.claims.yml` was accepted when named but left out when its folder was exported.
    desk = _extract_both(tmp_path, cli)
    yml = desk / "sub" / "b.claims.yml"
    first = store.load(yml).claims[0].id
    assert cli("mark", str(yml), first, "verified", "--reviewer", "wen").returncode == 0
    assert (desk / "sub" / "b.audit.yaml").is_file()
    r = cli("audit", "export", str(desk))
    assert r.returncode == 0, r.stderr
    docs = {Path(d["claim_file"]).name: d for d in yaml.safe_load(r.stdout)["documents"]}
    assert sorted(docs) == ["a.claims.yaml", "b.claims.yml"]
    b = {c["id"]: c for c in docs["b.claims.yml"]["claims"]}[first]
    assert (b["status"], [h["new"] for h in b["history"]]) == ("verified", ["verified"])
    r = cli("audit", "verify", str(desk / "sub"))
    assert r.returncode == 0 and "chain intact" in r.stdout.decode(), r.stdout
