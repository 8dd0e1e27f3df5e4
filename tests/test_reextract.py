"""One re-extract-and-merge (claims/reextract.py) for `claimcheck extract` run again and for the
review UI opening a claim file whose article changed: the same claims come out, with the same
decisions kept and the same changes logged."""
from __future__ import annotations

import shutil

from claims import audit, reextract, store
from claims.review import Review
from tui.session import OpenDoc

from .conftest import SAMPLE


def _desk(tmp_path, name):
    """The sample extracted beside itself, one claim verified with a note, then the article edited:
    a clause with a date gone, a new sentence with a new figure appended."""
    d = tmp_path / name
    d.mkdir()
    art = d / "a.txt"
    shutil.copy(SAMPLE, art)
    claims = reextract.extract_beside(art)
    cf = store.load(claims)
    keep = next(c for c in cf.claims if c.trigger.text == "十分之一")
    gone = next(c for c in cf.claims if c.trigger.text == "2019年")
    with Review(claims, "wen") as r:
        r.update(keep.id, status="verified", note="核实")
        r.update(gone.id, status="disputed")
    text = art.read_text(encoding="utf-8")
    assert text.count(gone.text) == 1
    art.write_text(text.replace(gone.text, "") + "\n另据统计，共有3721家企业参与。\n", encoding="utf-8")
    return art, claims, keep, gone


def _outcome(claims):
    cf = store.load(claims)
    live = sorted((c.id, c.trigger.text, c.status.value, c.note, c.orphaned_at is not None) for c in cf.claims)
    events = [(e.claim, e.field, e.new) for e in audit.read(audit.log_path(claims)).events]
    return live, events


def test_the_cli_and_the_review_ui_merge_a_changed_article_alike(tmp_path, cli):
    art_a, claims_a, keep, gone = _desk(tmp_path, "batch")
    _, claims_b, _, _ = _desk(tmp_path, "review")
    r = cli("extract", str(art_a), "-o", str(claims_a), "--reviewer", "wen")
    assert r.returncode == 0, r.stderr
    doc = OpenDoc(claims_b, "wen")
    try:
        assert doc.notice.startswith("a.txt changed: re-extracted, 1 new, ")
    finally:
        doc.close()
    a, b = _outcome(claims_a), _outcome(claims_b)
    assert a == b
    claims, events = a
    by_id = {c[0]: c for c in claims}
    assert by_id[keep.id][2:] == ("verified", "核实", False)  # the decision kept
    assert by_id[gone.id][2] == "disputed" and by_id[gone.id][4]  # orphaned, never deleted
    assert any(c[1] == "3721家" for c in claims)
    assert [(c, f) for c, f, _ in events][-2:] == [(next(c[0] for c in claims if c[1] == "3721家"), "added"),
                                                    (gone.id, "orphaned")]


def test_a_claim_file_held_elsewhere_is_not_re_extracted(tmp_path):
    art, claims, _, _ = _desk(tmp_path, "held")
    before = claims.read_bytes()
    with Review(claims, "li") as holder:
        assert not holder.read_only
        with Review(claims, "wen") as r:
            assert r.read_only
            article = reextract.read_article(claims, r.cf.document)
            assert article.changed
            try:
                reextract.merge_extraction(r, reextract.fresh_extraction(article, r.cf.document))
            except Exception as e:  # FileError naming the file: nothing merged
                assert str(claims) in str(e) and "not re-extracted" in str(e)
            else:
                raise AssertionError("a read-only claim file was merged into")
    assert claims.read_bytes() == before
