"""Extract an archive of articles on a Dask cluster, one claim file per article.

    pip install 'claimcheck[dask]'
    python examples/dask_extract.py ARCHIVE_DIR OUT_DIR [--scheduler tcp://host:8786]

Without --scheduler a local cluster on this machine's cores is started. Each task is
`claims.extract_file` (a pure function of a path and options) followed by a save; claim
files are written by the workers, so OUT_DIR must be reachable from every worker.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import dask.bag as db
from dask.distributed import Client, LocalCluster

from claims import extract_file, store
from claims.yamlio import FileError


def extract_one(path: str, out_dir: str) -> tuple[str, int, str | None]:
    """(article, claims written, error or None); never raises, so one bad file never stops the run."""
    try:
        cf = extract_file(path)
        store.save(Path(out_dir) / f"{Path(path).stem}.claims.yaml", cf)
        return path, len(cf.claims), None
    except FileError as e:
        return path, 0, "; ".join(e.problems)


def run(archive: str, out_dir: str, client: Client, partitions: int | None = None) -> list[tuple[str, int, str | None]]:
    paths = sorted(str(p) for p in Path(archive).rglob("*.txt"))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    bag = db.from_sequence(paths, npartitions=partitions or max(1, min(len(paths), 64)))
    return bag.map(extract_one, out_dir).compute(scheduler=client.get)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archive")
    ap.add_argument("out_dir")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    args = ap.parse_args()
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(processes=True))
    with client:
        results = run(args.archive, args.out_dir, client)
    failed = [r for r in results if r[2]]
    for _, _, err in failed:
        print(err)
    print(f"{len(results)} articles, {sum(r[1] for r in results)} claims, {len(failed)} failed")


if __name__ == "__main__":
    main()
