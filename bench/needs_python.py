#!/usr/bin/env python3
"""The needs assessment in plain Python, for comparison with `placeworks needs`:
read File 2 of the English Indices of Deprivation 2019 (gzipped CSV, as
published), compute the IMD score of every LSOA by the published method,
rank the scores, and write area_code, area_name, score, rank, decile."""
import csv
import gzip
import math
import sys

WEIGHTS = [22.5, 22.5, 13.5, 13.5, 9.3, 9.3, 9.3]
DOMAINS = ["Income", "Employment", "Education, Skills and Training", "Health Deprivation and Disability",
           "Crime", "Barriers to Housing and Services", "Living Environment"]


def main(src, dst):
    with gzip.open(src, "rt", encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        cols = [next(i for i, h in enumerate(header) if h.startswith(d + " Rank")) for d in DOMAINS]
        rows = [(r[0], r[1], [int(r[c].replace(",", "")) for c in cols]) for r in reader]
    n = len(rows)
    k = 1 - math.exp(-100 / 23)
    scored = []
    for code, name, ranks in rows:
        score = sum(w / 100 * -23 * math.log(1 - (n - r + 1) / n * k) for w, r in zip(WEIGHTS, ranks))
        scored.append((score, code, name))
    scored.sort(key=lambda s: (-s[0], s[1]))
    with open(dst, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["area_code", "area_name", "score", "rank", "decile"])
        for i, (score, code, name) in enumerate(scored, 1):
            w.writerow([code, name, f"{score:.3f}", i, min(10, max(1, -(-i * 10 // n)))])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
