#!/usr/bin/env python3
"""Builds the area and indicator tables of the built-in Buckinghamshire
dataset from the public data in ../shared/data (ONS and MHCLG, Open
Government Licence v3.0).

Writes data/buckinghamshire/areas.csv (with the 319 LSOAs of 2011, each under
its best-fit 2025 ward), bodies/90-community-boards.toml,
boundaries/wards-2025.geojson, boundaries/lsoa-2011.geojson, indicators.csv
and values/iod-2019.csv (the English Indices of Deprivation 2019 for those
LSOAs, and England's averages by the published method). Re-run it when the
shared data changes:

    python3 tools/import-shared-areas.py ../shared/data
"""
import csv, gzip, json, math, pathlib, sys

shared = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
src = shared / "buckinghamshire"
out = pathlib.Path(__file__).resolve().parent.parent / "data" / "buckinghamshire"

rows = [
    ("E92000001", "England", "country", "", "", "", "", ""),
    ("E12000008", "South East", "region", "E92000001", "", "", "", ""),
    ("E06000060", "Buckinghamshire", "unitary-authority", "E12000008", "2020-04-01", "", "", "Buckinghamshire Council, the unitary authority since 1 April 2020"),
    ("E10000002", "Buckinghamshire (county, to 2020)", "county", "E12000008", "", "2020-03-31", "", "The area of Buckinghamshire County Council, replaced by the unitary Buckinghamshire Council"),
]
for code, name in [("E07000004", "Aylesbury Vale"), ("E07000005", "Chiltern"), ("E07000006", "South Bucks"), ("E07000007", "Wycombe")]:
    rows.append((code, name, "district", "E10000002", "", "2020-03-31", "", f"{name} District Council was abolished on 1 April 2020"))

ob = []
with open(src / "wards-2020.csv", newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        rows.append((r["WD_CODE"], r["WD_NAME"], "ward", "E06000060", "2020", "2025-05", "",
                     f"2020-2025 ward; replaced county electoral division {r['former_county_ED_name']} ({r['former_county_ED_code_2013_2020']})"))
        if r["opportunity_bucks_ward"].strip().lower() == "yes":
            ob.append(r["WD_CODE"])
with open(src / "wards-2025.csv", newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        n = int(r["councillors"])
        rows.append((r["WD25CD"], r["WD25NM"], "ward", "E06000060", "2025-05", "", "",
                     f"Ward from May 2025; {n} councillor{'s' if n != 1 else ''}"))
assert len(ob) == 10, ob

# The 2011 LSOAs, each under the 2025 ward its centroid falls in: a best fit,
# not an official lookup, and every page that uses it says so.
lsoas = []
with open(src / "lsoa-2011-to-ward-2025.csv", newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        lsoas.append(r)
        rows.append((r["LSOA11CD"], r["LSOA11NM"], "lsoa", r["WD25CD"], "2011", "", "",
                     f"2011 LSOA in former {r['former_district']} district; placed in {r['WD25NM']} ward by its centroid (a best fit, not an official lookup)"))
assert len(lsoas) == 319, len(lsoas)
rows.append(("opportunity-bucks-wards", "Opportunity Bucks wards", "named-set", "E06000060", "2022", "", ";".join(ob),
             "The ten 2020-2025 wards the Opportunity Bucks programme focuses on"))
# The four local community areas the 2005 strategy names. Its Appendix 3 map
# is not in the papers: their wards (the 2020-2025 wards named after each
# town) and their end with the County Council are the example's.
lcas = [("lca-chesham", "Chesham", ["E05013136"]), ("lca-buckingham", "Buckingham", ["E05013132", "E05013133"]),
        ("lca-burnham", "Burnham", ["E05013143"]), ("lca-princes-risborough", "Princes Risborough", ["E05013161"])]
rows.append(("local-community-areas-2005", "Local community areas (2005 draft)", "named-set", "E10000002", "2005", "2020-03-31", ";".join(c for c, _, _ in lcas),
             "24 local community areas were proposed in 2005; the strategy names only these four"))
for code, name, wards in lcas:
    rows.append((code, name, "local-community-area", "E10000002", "2005", "2020-03-31", ";".join(wards),
                 "A proposed local community area of the 2005 strategy \"Getting Closer to Communities\". Example values: its Appendix 3 map is not in the papers, "
                 "so its wards here are the 2020-2025 wards named after its town, and it is taken to end with the County Council on 31 March 2020"))

# Where each area comes from, and which of its values are the example's.
def provenance(row):
    code = row[0]
    if code == "opportunity-bucks-wards":
        return "levelling-up-framework;opportunity-bucks-progress;reference-lists", ""
    if code == "local-community-areas-2005":
        return "getting-closer-to-communities", "valid_to"
    if code.startswith("lca-"):
        return "getting-closer-to-communities", "members;valid_to"
    if row[2] == "lsoa":
        return "ons-areas;reference-lists", ""
    return "ons-areas", ""
rows = [row + provenance(row) for row in rows]

with open(out / "areas.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["code", "name", "kind", "parent", "valid_from", "valid_to", "members", "note", "sources", "example"])
    w.writerows(rows)

geo = json.loads((src / "wards-2025.geojson").read_text(encoding="utf-8"))
def rnd(c):
    return [rnd(x) for x in c] if isinstance(c[0], list) else [round(c[0], 6), round(c[1], 6)]
feats = [{"type": "Feature", "properties": {"WD25CD": ft["properties"]["WD25CD"], "WD25NM": ft["properties"]["WD25NM"]},
          "geometry": {"type": ft["geometry"]["type"], "coordinates": rnd(ft["geometry"]["coordinates"])}} for ft in geo["features"]]
(out / "boundaries" / "wards-2025.geojson").write_text(json.dumps({"type": "FeatureCollection", "name": "wards-2025", "features": feats}, separators=(",", ":")), encoding="utf-8")

def rnd5(c):
    return [rnd5(x) for x in c] if isinstance(c[0], list) else [round(c[0], 5), round(c[1], 5)]
geo = json.loads((src / "lsoa-2011.geojson").read_text(encoding="utf-8"))
lsoa_feats = [{"type": "Feature", "properties": {"LSOA11CD": ft["properties"]["LSOA11CD"]},
               "geometry": {"type": ft["geometry"]["type"], "coordinates": rnd5(ft["geometry"]["coordinates"])}} for ft in geo["features"]]
assert len(lsoa_feats) == 319
(out / "boundaries" / "lsoa-2011.geojson").write_text(json.dumps({"type": "FeatureCollection", "name": "lsoa-2011", "features": lsoa_feats}, separators=(",", ":")), encoding="utf-8")

# The English Indices of Deprivation 2019, for Buckinghamshire's LSOAs as
# published, and England's population-weighted averages by the published method.
def published(name):
    with gzip.open(shared / "iod2019" / name, "rt", encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))
DOMAINS = [("income", "Income"), ("employment", "Employment"), ("education", "Education, Skills and Training"),
           ("health", "Health Deprivation and Disability"), ("crime", "Crime"), ("barriers", "Barriers to Housing and Services"),
           ("living-environment", "Living Environment")]
WEIGHTS = [22.5, 22.5, 13.5, 13.5, 9.3, 9.3, 9.3]
file2, file6 = published("File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"), published("File_6_-_IoD2019_Population_Denominators.csv.gz")
h2 = file2[0]
imd_col = next(i for i, h in enumerate(h2) if h.startswith("Index of Multiple Deprivation (IMD) Rank"))
dec_col = next(i for i, h in enumerate(h2) if h.startswith("Index of Multiple Deprivation (IMD) Decile"))
dom_cols = [next(i for i, h in enumerate(h2) if h.startswith(label + " Rank")) for _, label in DOMAINS]
pop_col = next(i for i, h in enumerate(file6[0]) if h.startswith("Total population"))
num = lambda s: float(s.replace(",", ""))
population = {r[0]: num(r[pop_col]) for r in file6[1:]}
n = len(file2) - 1
k = 1 - math.exp(-100 / 23)
x = lambda rank: -23 * math.log(1 - (n - rank + 1) / n * k)
england = [0.0] * 7
total = 0.0
for r in file2[1:]:
    p = population[r[0]]
    total += p
    for i, c in enumerate(dom_cols):
        england[i] += x(int(num(r[c]))) * p
england = [v / total for v in england]
bucks = {r["LSOA11CD"] for r in lsoas}
source = "Ministry of Housing, Communities and Local Government: English Indices of Deprivation 2019"
ogl = "Open Government Licence v3.0"
indicators = [("imd-2019-rank", "Index of Multiple Deprivation rank", "rank (1 = most deprived of 32,844)", "higher-is-better", "Index of Multiple Deprivation", "lsoa", "File 1 as published"),
              ("imd-2019-decile", "Index of Multiple Deprivation decile", "decile (1 = most deprived 10%)", "higher-is-better", "Index of Multiple Deprivation", "lsoa", "File 1 as published")]
indicators += [(f"{code}-2019-rank", f"{label} rank", "rank (1 = most deprived of 32,844)", "higher-is-better", label, "lsoa", "File 2 as published") for code, label in DOMAINS]
indicators += [("imd-2019-score", "Index of Multiple Deprivation score", "score (0 to 100)", "higher-is-worse", "Index of Multiple Deprivation", "country",
                "England's population-weighted average, recomputed from File 2 by the published method")]
indicators += [(f"{code}-2019-score", f"{label} score", "score (0 to 100)", "higher-is-worse", label, "country",
                "England's population-weighted average of the domain's exponentially transformed score (0 to 100), by the published method") for code, label in DOMAINS]
indicators += [("population-2015", "Population, mid-2015", "people", "neutral", "Population", "lsoa", "File 6 as published (excluding prisoners)")]
with open(out / "indicators.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["slug", "name", "unit", "polarity", "theme", "source", "licence", "frequency", "geography", "note"])
    for slug, name, unit, pol, theme, geo_kind, note in indicators:
        w.writerow([slug, name, unit, pol, theme, source, ogl, "every four or five years", geo_kind, note])
(out / "values").mkdir(exist_ok=True)
values = []
for r in file2[1:]:
    if r[0] in bucks:
        values.append((r[0], "imd-2019-rank", "2019", int(num(r[imd_col]))))
        values.append((r[0], "imd-2019-decile", "2019", int(num(r[dec_col]))))
        for (code, _), c in zip(DOMAINS, dom_cols):
            values.append((r[0], f"{code}-2019-rank", "2019", int(num(r[c]))))
        values.append((r[0], "population-2015", "2015", int(population[r[0]])))
values.append(("E92000001", "imd-2019-score", "2019", round(sum(w / 100 * v for w, v in zip(WEIGHTS, england)), 4)))
for (code, _), v in zip(DOMAINS, england):
    values.append(("E92000001", f"{code}-2019-score", "2019", round(v, 4)))
with open(out / "values" / "iod-2019.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["area_code", "indicator", "period", "value"])
    w.writerows(values)

# The 2020-2025 wards each Community Board served. The reference list names
# no wards: this is the example's best fit, by the places each board's name
# and description give, so every board's `areas` is marked as the example's.
BOARD_WARDS = {
    "Amersham": ["E05013121", "E05013152", "E05013154"],
    "Aylesbury": ["E05013123", "E05013124", "E05013125", "E05013126", "E05013127", "E05013128"],
    "Beaconsfield and Chepping Wycombe": ["E05013129", "E05013149", "E05013164"],
    "Beeches": ["E05013140", "E05013143", "E05013158"],
    "Chesham and Villages": ["E05013136", "E05013137", "E05013155"],
    "Buckingham and Villages": ["E05013132", "E05013133"],
    "Denham, Gerrards Cross and Chalfonts": ["E05013134", "E05013135", "E05013141", "E05013145"],
    "Missendens": ["E05013138", "E05013147"],
    "Wexham and The Ivers": ["E05013150"],
    "Haddenham and Waddesdon": ["E05013130", "E05013159"],
    "Wendover": ["E05013122", "E05013165"],
    "Wing and Ivinghoe": ["E05013151", "E05013167"],
    "Winslow and Villages": ["E05013146", "E05013148", "E05013168"],
    "High Wycombe": ["E05013120", "E05013131", "E05013157", "E05013160", "E05013163"],
    "North West Chilterns": ["E05013139", "E05013142", "E05013156", "E05013161", "E05013166"],
    "South West Chilterns": ["E05013144", "E05013153", "E05013162"],
}
every = [w for ws in BOARD_WARDS.values() for w in ws]
assert len(every) == 49 and len(set(every)) == 49, "each 2020 ward in exactly one board"
lines = ["# The 16 Community Boards of 2020-2025 (reduced to eight after the May 2025 elections;",
         "# the new names are not known here), from the reference list (`reference-lists`).",
         "# The wards each served are the example's best fit: the list names none.",
         "# Generated by tools/import-shared-areas.py.", ""]
with open(src / "community-boards-2020.csv", newline="", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        name = r["name"]
        slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        while "--" in slug:
            slug = slug.replace("--", "-")
        note = []
        if r["also_known_as"]:
            note.append(f"Also known as {r['also_known_as']}.")
        if r["places_named_in_source"]:
            note.append(f"Places named in its description: {r['places_named_in_source']}.")
        lines += ["[[body]]", f'slug = "{slug}-community-board"', f'name = "{name} Community Board"', 'kind = "community-board"',
                  'established = "2020"', 'ended = "2025-05"', 'secretariat = "buckinghamshire-council"',
                  "areas = [" + ", ".join(f'"{w}"' for w in BOARD_WARDS[name]) + "]",
                  'sources = ["reference-lists"]', 'example = ["areas"]'] + ([f'note = "{" ".join(note)}"'] if note else []) + [""]
(out / "bodies" / "90-community-boards.toml").write_text("\n".join(lines), encoding="utf-8")
print(f"areas: {len(rows)}, boundaries: {len(feats)} wards and {len(lsoa_feats)} LSOAs, indicators: {len(indicators)}, values: {len(values)}")
