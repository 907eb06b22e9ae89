"""The Popolo export validates against the Popolo 1.0.1 JSON Schemas in
../shared/standards/popolo (draft-03), and every *_id in it resolves.

Runs the real binary: PLACEWORKS_BIN (set by scripts/test) or target/debug/placeworks.
"""
import json
import os
import pathlib
import subprocess

import pytest
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3
from conftest import BSP_ERA

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMAS = ROOT.parent / "shared" / "standards" / "popolo"
BIN = str(pathlib.Path(os.environ.get("PLACEWORKS_BIN", ROOT / "target" / "debug" / "placeworks")).resolve())
COLLECTIONS = {"organizations": "organization", "persons": "person", "posts": "post", "memberships": "membership", "areas": "area", "events": "event", "motions": "motion"}


def registry():
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)))
    return Registry().with_resources(resources)


def run(*args, cwd, env=None):
    out = subprocess.run([BIN, *args], cwd=cwd, capture_output=True, text=True, env=env or {**os.environ, "PLACEWORKS_LOG": "warn"})
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("popolo")
    db = f"sqlite://{tmp / 'pw.db'}"
    # On a day in the 2008 partnership's time, so that its bodies' planned meetings are among the events.
    builtin = json.loads(run("export", "popolo", "--database", db, cwd=tmp, env=BSP_ERA))
    run("load", str(ROOT / "data" / "examples" / "riverside"), "--database", db, cwd=tmp)
    both = json.loads(run("export", "popolo", "--database", db, cwd=tmp))
    return {"buckinghamshire": builtin, "two councils": both}


@pytest.mark.parametrize("which", ["buckinghamshire", "two councils"])
def test_every_object_validates_against_its_popolo_schema(documents, which):
    doc = documents[which]
    reg = registry()
    validators = {}
    for coll, name in COLLECTIONS.items():
        schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
        validators[coll] = Draft3Validator(schema, registry=reg)
    checked = 0
    for coll, validator in validators.items():
        assert doc[coll], f"{coll} is empty"
        for obj in doc[coll]:
            errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
            assert not errors, f"{coll} {obj.get('id')}: {[e.message for e in errors]}"
            checked += 1
    assert checked > 400


@pytest.mark.parametrize("which", ["buckinghamshire", "two councils"])
def test_every_id_reference_resolves(documents, which):
    doc = documents[which]
    ids = [o["id"] for coll in COLLECTIONS for o in doc[coll]]
    assert len(ids) == len(set(ids)), "ids are unique"
    known = set(ids)
    for coll in COLLECTIONS:
        for obj in doc[coll]:
            for key, value in obj.items():
                if key.endswith("_id") and value is not None:
                    assert value in known, f"{coll} {obj['id']}: {key} {value} does not resolve"


def test_the_register_is_in_popolo_shape(documents):
    doc = documents["buckinghamshire"]
    orgs = {o["id"]: o for o in doc["organizations"]}
    sub = orgs["buckinghamshire/bodies/regeneration-board"]
    assert sub["classification"] == "sub-board"
    assert sub["parent_id"] == "buckinghamshire/bodies/growth-board"
    posts = [p for p in doc["posts"] if p.get("organization_id") == "buckinghamshire/bodies/bsp-board"]
    assert sum(1 for p in posts if p["role"] == "adviser") == 5
    leaders = [p for p in posts if p.get("other_label") and p["other_label"][0] == "Leaders of the five local authorities"]
    assert len(leaders) == 5
    areas = {a["id"]: a for a in doc["areas"]}
    assert areas["buckinghamshire/areas/E06000060"]["identifier"] == "E06000060"
    assert "identifier" not in areas["buckinghamshire/areas/lca-chesham"], "local areas carry no GSS identifier"
    both = documents["two councils"]
    assert {o["id"].split("/")[0] for o in both["organizations"]} == {"buckinghamshire", "riverside"}
    motions = {m["id"]: m for m in doc["motions"]}
    agreed = motions["buckinghamshire/motions/levelling-up-framework-2022-1"]
    assert agreed["result"] == "agreed" and agreed["date"] == "2022-07" and agreed["organization_id"] == "buckinghamshire/bodies/cabinet"
    assert agreed["text"] == "That the proposals for a Buckinghamshire Levelling Up Framework be AGREED."
    events = {e["id"]: e for e in doc["events"]}
    assert agreed["legislative_session_id"] == "buckinghamshire/events/cabinet-2022-07", "the motion names the meeting it was passed at"
    july = events["buckinghamshire/events/cabinet-2022-07"]
    assert july["start_date"] == "2022-07" and july["status"] == "minutes-approved", "the record gives the month only"
    cadex = [e for e in doc["events"] if e["organization_id"] == "buckinghamshire/bodies/cadex"]
    assert len(cadex) >= 11 and all(e["start_date"][11:16] in ("09:30",) for e in cadex), "London time with its offset"
    assert {e["start_date"][-6:] for e in cadex} == {"+00:00", "+01:00"}, "GMT and BST"
