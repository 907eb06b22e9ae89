"""The 360Giving export validates against the 360Giving 1.4.3 schemas in
../shared/standards/360giving (JSON Schema 2020-12), offline: the package
schema names the grant schema by its 1.4.2 address, so the local grant schema
is registered under both. Buckinghamshire's built-in money has no grant to
another organisation (Multiply funds the council's own work), so the export
refuses it and says why; a copy of the dataset with an approved bid and an
allocation to a partner's initiative exports a package that validates, with
its wards as geoCodes.

Runs the real binary: PLACEWORKS_BIN (set by scripts/test) or target/debug/placeworks.
"""
import json
import os
import pathlib
import shutil
import subprocess

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = ROOT.parent / "shared" / "standards" / "360giving"
BIN = str(pathlib.Path(os.environ.get("PLACEWORKS_BIN", ROOT / "target" / "debug" / "placeworks")).resolve())

GRANTS = """
[[initiative]]
slug = "clean-ups-by-red-kite"
programme = "opportunity-bucks"
name = "Clean ups on Red Kite estates"
status = "underway"
lead_organisation = "{partner}"
areas = ["E05013163"]

[[fund]]
slug = "test-community-fund"
name = "Test community fund"
kind = "budget"
amount = 50000
programme = "opportunity-bucks"
areas = ["opportunity-bucks-wards"]

[[fund.allocation]]
slug = "red-kite-clean-ups"
name = "Clean ups on Red Kite estates"
amount = 12000
initiative = "clean-ups-by-red-kite"
date = "2024-05-14"

[[fund.bid]]
slug = "chesham-cafe"
name = "A community cafe in Chesham"
by_organisation = "chesham-town-council"
amount = 8000
status = "approved"
submitted = "2024-04-02"

[[fund.bid]]
slug = "undated"
name = "A bid with no dated decision"
by_organisation = "chesham-town-council"
amount = 100
status = "approved"
submitted = "2024-04"
"""


def validator():
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text(encoding="utf-8"))
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    resource = Resource.from_contents(grant, default_specification=DRAFT202012)
    addresses = [grant["$id"], grant["$id"].replace("/1.4.3/", "/1.4.2/")]
    registry = Registry().with_resources([(a, resource) for a in addresses])
    return Draft202012Validator(package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def run(*args, cwd):
    return subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, "PLACEWORKS_LOG": "warn"})


def test_the_built_in_council_has_no_grant_to_publish_and_says_why(tmp_path):
    out = run("export", "360giving", "--database", f"sqlite://{tmp_path / 'pw.db'}", cwd=tmp_path)
    assert out.returncode == 1
    assert "has no grants to publish" in out.stderr


def test_grants_and_allocations_validate_as_a_360giving_package(tmp_path):
    data = tmp_path / "buckinghamshire"
    shutil.copytree(ROOT / "data" / "buckinghamshire", data)
    orgs = (data / "organisations.csv").read_text(encoding="utf-8")
    partner = "red-kite" if "\nred-kite," in orgs else "thames-valley-police"
    money = data / "programmes" / "opportunity-bucks.toml"
    money.write_text(money.read_text(encoding="utf-8") + GRANTS.replace("{partner}", partner), encoding="utf-8")
    db = f"sqlite://{tmp_path / 'pw.db'}"
    loaded = run("load", str(data), "--database", db, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    out = run("export", "360giving", "--database", db, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    package = json.loads(out.stdout)
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    grants = {g["id"]: g for g in package["grants"]}
    assert len(grants) == 2, grants.keys()
    allocation = grants["360G-placeworks-buckinghamshire-test-community-fund-red-kite-clean-ups"]
    assert allocation["amountAwarded"] == 12000 and allocation["awardDate"] == "2024-05-14" and allocation["currency"] == "GBP"
    assert allocation["beneficiaryLocation"] == [{"name": "Totteridge and Bowerdean", "geoCode": "E05013163", "geoCodeType": "WD", "countryCode": "GB"}]
    bid = grants["360G-placeworks-buckinghamshire-test-community-fund-chesham-cafe"]
    assert bid["recipientOrganization"][0]["name"] == "Chesham Town Council"
    assert {loc["geoCode"] for loc in bid["beneficiaryLocation"]} >= {"E05013136", "E05013163"}, "the fund's named set, as its wards"
    assert all(loc["geoCodeType"] == "WD" for loc in bid["beneficiaryLocation"])
    # Left out: the bid dated only to its month, and Multiply, which funds the council's own initiative.
    assert "2 allocations or bids without a recipient or an award date are left out" in package["description"]
    assert "placeholder prefix (360G-placeworks-)" in package["description"], "a council without its registered prefix is told"
    assert "2 left out" in out.stderr


def test_a_council_s_registered_prefix_and_identifier_name_its_grants(tmp_path):
    data = tmp_path / "buckinghamshire"
    shutil.copytree(ROOT / "data" / "buckinghamshire", data)
    orgs = (data / "organisations.csv").read_text(encoding="utf-8")
    partner = "red-kite" if "\nred-kite," in orgs else "thames-valley-police"
    money = data / "programmes" / "opportunity-bucks.toml"
    money.write_text(money.read_text(encoding="utf-8") + GRANTS.replace("{partner}", partner), encoding="utf-8")
    council = data / "council.toml"
    text = council.read_text(encoding="utf-8")
    db = f"sqlite://{tmp_path / 'pw.db'}"
    # A prefix 360Giving would never have registered is refused, naming the line and the field.
    council.write_text(text.replace('name = "Buckinghamshire"\n', 'name = "Buckinghamshire"\ngiving_prefix = "bucks"\n', 1), encoding="utf-8")
    bad = run("load", str(data), "--database", db, cwd=tmp_path)
    assert bad.returncode != 0
    assert "council.toml" in bad.stderr and "giving_prefix" in bad.stderr and "is not a 360Giving prefix" in bad.stderr, bad.stderr
    council.write_text(
        text.replace('name = "Buckinghamshire"\n', 'name = "Buckinghamshire"\ngiving_prefix = "360G-bucks"\norg_id = "GB-LAE-BKM"\n', 1),
        encoding="utf-8",
    )
    loaded = run("load", str(data), "--database", db, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    out = run("export", "360giving", "--database", db, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    package = json.loads(out.stdout)
    errors = sorted(validator().iter_errors(package), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    ids = [g["id"] for g in package["grants"]]
    assert ids and all(i.startswith("360G-bucks-") for i in ids), ids
    assert all(g["fundingOrganization"][0]["id"] == "GB-LAE-BKM" for g in package["grants"])
    assert all(g["recipientOrganization"][0]["id"].startswith("360G-bucks-") for g in package["grants"])
    assert "placeholder prefix" not in package["description"]
