import csv
import re

out = {}
for row in csv.reader(open("/work/shared/corpus-real/SOURCES.tsv"), delimiter="\t"):
    f = row[0]
    if f == "file":
        continue
    if f.startswith("t"):
        out[f] = "2018-03-25"
        continue
    st = row[2].split("stamp", 1)[1].strip()
    d = None
    m = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", st) or re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", st)
    if m:
        d = (int(m[1]), int(m[2]), int(m[3]))
    else:
        m = re.match(r"(\d{4})(\d\d)/(\d\d)", st)
        if m:
            d = (int(m[1]), int(m[2]), int(m[3]))
        else:
            m = re.match(r"(\d\d)-(\d\d)-(\d\d) ", st)
            if m:
                d = (2000 + int(m[1]), int(m[2]), int(m[3]))
            else:
                m = re.match(r"(\d{1,2})-(\d{1,2}) \d", st)
                if m:
                    d = (2023, int(m[1]), int(m[2]))
    out[f] = f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}" if d else ""
for f in sorted(out):
    print(f + "\t" + out[f])
