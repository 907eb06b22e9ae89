"""The decisions feed is well-formed Atom (RFC 4287): a feed with its id,
title, updated time and self link, and one entry per decision, newest first.

Runs the real binary against a throwaway database and fetches the feed over HTTP.
"""
import re
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from conftest import serving

A = "{http://www.w3.org/2005/Atom}"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("atom")
    with serving(tmp, f"sqlite://{tmp / 'pw.db'}") as base:
        yield base


def test_the_decisions_feed_is_atom_with_an_entry_per_decision(server):
    with urllib.request.urlopen(server + "/buckinghamshire/decisions.atom") as r:
        assert r.headers["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(r.read())
    assert feed.tag == A + "feed"
    for child in ["id", "title", "updated", "author"]:
        assert feed.find(A + child) is not None, child
    assert STAMP.match(feed.find(A + "updated").text)
    assert any(l.get("rel") == "self" for l in feed.findall(A + "link"))
    entries = feed.findall(A + "entry")
    assert [e.find(A + "title").text for e in entries] == ["Cabinet: Opportunity Bucks progress", "Cabinet: Levelling Up Framework"]
    for e in entries:
        assert STAMP.match(e.find(A + "updated").text) and e.find(A + "id").text.startswith("http")
    assert "be NOTED" in entries[0].find(A + "summary").text
