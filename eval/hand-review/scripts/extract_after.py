import collections
import os
import subprocess

docs = "/work/shared/corpus-real/docs/"
excl = set(line.strip() for line in open("/work/coord/real2_all.txt") if line.strip())
dates = dict(line.rstrip("\n").split("\t") for line in open("/work/coord/review-work/dates.tsv"))
files = sorted(f for f in os.listdir(docs) if f.endswith(".txt") and f not in excl)
assert len(files) == 270, len(files)
g = collections.defaultdict(list)
for f in files:
    g[dates[f]].append(docs + f)
env = dict(os.environ, PYTHONPATH="/tmp/review-after")
for d, fs in sorted(g.items()):
    cmd = (
        [
            "/work/main/.venv/bin/python",
            "-c",
            "import sys; from claims.cli import main; sys.exit(main())",
            "extract",
            "-j",
            "1",
            "-o",
            "out/",
        ]
        + (["--date", d] if d else [])
        + fs
    )
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    print(d or "(none)", len(fs), "rc", r.returncode, r.stderr[-300:])
