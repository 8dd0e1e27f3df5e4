"""The archive example runs on a local Dask cluster and matches the command line's output."""
from __future__ import annotations

import pickle
import sys

import pytest

from claims import extract_file, store

from .conftest import ROOT, SAMPLE

pytest.importorskip("dask.distributed")


def test_extract_file_is_pure_and_picklable():
    fn = pickle.loads(pickle.dumps(extract_file))
    assert fn(SAMPLE) == extract_file(SAMPLE)


def test_dask_example_on_a_local_cluster(tmp_path, cli):
    from dask.distributed import Client, LocalCluster

    sys.path.insert(0, str(ROOT / "examples"))
    import dask_extract

    archive = tmp_path / "archive"
    (archive / "2023").mkdir(parents=True)
    for i in range(4):
        (archive / "2023" / f"a{i}.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (archive / "bad.txt").write_bytes(b"")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        results = dask_extract.run(str(archive), str(tmp_path / "out"), client)
    assert sorted((p.rsplit("/", 1)[1], n > 0, e is None) for p, n, e in results) == [
        ("a0.txt", True, True), ("a1.txt", True, True), ("a2.txt", True, True), ("a3.txt", True, True),
        ("bad.txt", False, False)]
    # the same claim file as the command line writes
    assert cli("extract", str(archive / "2023" / "a0.txt"), "-o", str(tmp_path / "cli.yaml")).returncode == 0
    via_dask = store.load(tmp_path / "out" / "a0.claims.yaml")
    via_cli = store.load(tmp_path / "cli.yaml")
    assert via_dask.claims == via_cli.claims
