"""Meeting papers through the real binary, kept in a local folder and in an
S3-compatible bucket (moto's server, which scripts/test starts and names in
PLACEWORKS_TEST_S3): uploaded through the agenda form, streamed back whole
and by range with an ETag, shared by a second server, and served to 32
readers at once without the server's memory growing with the paper.
"""
import hashlib
import html
import os
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from conftest import BIN, ENV, serving

PASSWORD = "correct horse battery staple"
# Just under the 20 MB limit: a PDF header, then bytes that do not compress.
PAPER = b"%PDF-1.4\n" + hashlib.shake_256(b"placeworks").digest(20 * 1000 * 1000 - 9)
SHA = hashlib.sha256(PAPER).hexdigest()
MEETING = "cultural-partnership-2025-06-02-1000"


def s3_settings():
    server = os.environ.get("PLACEWORKS_TEST_S3")
    if not server:
        if os.environ.get("PLACEWORKS_SKIP_S3") == "1":
            pytest.skip("PLACEWORKS_SKIP_S3=1")
        pytest.fail("PLACEWORKS_TEST_S3 is not set: run scripts/test, which starts an S3-compatible server")
    endpoint, bucket = server.rstrip("/").rsplit("/", 1)
    env = {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ALLOW_HTTP": "true",
        "AWS_REGION": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "placeworks-test",
        "AWS_SECRET_ACCESS_KEY": "placeworks-test",
        "AWS_VIRTUAL_HOSTED_STYLE_REQUEST": "false",
    }
    return endpoint, bucket, env


class Browser:
    """A signed-in officer: cookies kept, CSRF token read from the forms."""

    def __init__(self, base):
        self.base = base
        # The cookies are Secure; a browser sends them to localhost over
        # plain HTTP, Python's cookie jar does not, so they are kept here.
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect())

    def open(self, req):
        req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            r = self.opener.open(req)
        except urllib.error.HTTPError as e:
            r = e
        for c in r.headers.get_all("Set-Cookie") or []:
            k, v = c.split(";", 1)[0].split("=", 1)
            self.cookies[k] = v
        return r

    def get(self, path):
        with self.open(urllib.request.Request(self.base + path)) as r:
            return r.read().decode()

    def csrf(self, path):
        return html.unescape(re.search(r'name="csrf" value="([^"]+)"', self.get(path)).group(1))

    def post(self, path, data, content_type="application/x-www-form-urlencoded"):
        req = urllib.request.Request(self.base + path, data=data, method="POST", headers={"Content-Type": content_type})
        with self.open(req) as r:
            return r.status, r.read().decode()

    def form(self, path, fields):
        return self.post(path, urllib.parse.urlencode(fields).encode())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_303(self, req, fp, code, msg, headers):
        return fp


def multipart(fields, file_field, file_name, content):
    boundary = "placeworks-" + uuid.uuid4().hex
    out = bytearray()
    for k, v in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
    out += f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
    out += content + f"\r\n--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def add_officer(db):
    out = subprocess.run([BIN, "user", "add", "officer@example.org", "--role", "administrator", "--database", db], input=PASSWORD + "\n", capture_output=True, text=True, env=ENV)
    assert out.returncode == 0, out.stderr


def upload_and_publish(base):
    b = Browser(base)
    status, body = b.form("/sign-in", {"email": "officer@example.org", "password": PASSWORD, "csrf": b.csrf("/sign-in")})
    assert status == 303, body
    status, body = b.form("/buckinghamshire/bodies/cultural-partnership/meetings", {"csrf": b.csrf("/buckinghamshire/bodies/cultural-partnership/meetings"), "action": "add", "date": "2025-06-02", "time": "10:00"})
    assert status == 303, body
    agenda = f"/buckinghamshire/meetings/{MEETING}/agenda"
    data, kind = multipart({"csrf": b.csrf(agenda), "number": "1", "title": "Annual report", "paper_title": "Annual report"}, "paper", "annual-report.pdf", PAPER)
    status, body = b.post(agenda, data, kind)
    assert status == 303, body[:2000]
    status, body = b.form(f"/buckinghamshire/meetings/{MEETING}/publish", {"csrf": b.csrf(f"/buckinghamshire/meetings/{MEETING}/manage")})
    assert status == 303, body[:2000]
    return f"/buckinghamshire/meetings/{MEETING}/papers/item-1-annual-report"


def download(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            digest, size = hashlib.sha256(), 0
            while chunk := r.read(256 * 1024):
                digest.update(chunk)
                size += len(chunk)
            return r.status, r.headers, digest.hexdigest(), size
    except urllib.error.HTTPError as e:
        return e.code, e.headers, None, 0


def check_round_trip(base, path):
    status, headers, digest, size = download(base + path)
    assert (status, digest, size) == (200, SHA, len(PAPER))
    assert headers["ETag"] == f'"{SHA}"' and headers["Accept-Ranges"] == "bytes"
    assert headers["Content-Length"] == str(len(PAPER)) and headers["Content-Type"] == "application/pdf"
    # The last megabyte, by range: what a PDF reader asks for first.
    status, headers, digest, size = download(base + path, {"Range": f"bytes={len(PAPER) - 1_000_000}-"})
    assert (status, size, digest) == (206, 1_000_000, hashlib.sha256(PAPER[-1_000_000:]).hexdigest())
    assert headers["Content-Range"] == f"bytes {len(PAPER) - 1_000_000}-{len(PAPER) - 1}/{len(PAPER)}"
    assert download(base + path, {"If-None-Match": f'"{SHA}"'})[0] == 304


def check_memory(base, path, pid):
    # Idle: after the upload and one download, settled.
    download(base + path)
    time.sleep(0.5)
    idle = rss_kib(pid)
    peak, results, done = [idle], [], threading.Event()

    def sample():
        while not done.is_set():
            peak.append(rss_kib(pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    readers = [threading.Thread(target=lambda: results.append(download(base + path))) for _ in range(32)]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    done.set()
    sampler.join()
    assert [(r[0], r[2]) for r in results] == [(200, SHA)] * 32, "every reader got the whole paper"
    grew_mb = (max(peak) - idle) / 1024
    print(f"32 readers of a {len(PAPER) / 1e6:.0f} MB paper: idle {idle / 1024:.0f} MB, peak {max(peak) / 1024:.0f} MB, +{grew_mb:.0f} MB")
    assert grew_mb < 100, f"the server grew by {grew_mb:.0f} MB serving 32 readers (limit 100 MB): papers must be streamed"


def test_papers_in_a_folder_round_trip_and_stream(tmp_path):
    db = f"sqlite://{tmp_path / 'pw.db'}"
    add_officer(db)
    with serving(tmp_path, db, pid=True) as (base, pid):
        path = upload_and_publish(base)
        assert (tmp_path / "papers" / SHA[:2] / SHA).read_bytes() == PAPER, "kept in the folder under its SHA-256"
        check_round_trip(base, path)
        check_memory(base, path, pid)
        # An upload whose record is refused leaves its file for the sweeper.
        b = Browser(base)
        b.form("/sign-in", {"email": "officer@example.org", "password": PASSWORD, "csrf": b.csrf("/sign-in")})
        agenda = f"/buckinghamshire/meetings/{MEETING}/agenda"
        draft = PAPER[:1000] + b"a draft"
        data, kind = multipart({"csrf": b.csrf(agenda), "number": "", "title": "Draft"}, "paper", "draft.pdf", draft)
        assert b.post(agenda, data, kind)[0] == 422
        orphan = hashlib.sha256(draft).hexdigest()
        assert (tmp_path / "papers" / orphan[:2] / orphan).exists()
        sweep = [BIN, "sweep-papers", "--papers", str(tmp_path / "papers"), "--database", db]
        out = subprocess.run(sweep, capture_output=True, text=True, env=ENV)
        assert out.returncode == 0 and "Took away 0 papers" in out.stdout, out.stdout + out.stderr
        out = subprocess.run(sweep + ["--grace-minutes", "0"], capture_output=True, text=True, env=ENV)
        assert out.returncode == 0 and f"Took away 1 paper that no meeting names" in out.stdout and orphan in out.stdout, out.stdout + out.stderr
        assert not (tmp_path / "papers" / orphan[:2] / orphan).exists()
        assert download(base + path)[2] == SHA, "the paper a meeting names is kept"


def test_papers_in_an_s3_bucket_are_shared_by_two_servers(tmp_path):
    endpoint, bucket, env = s3_settings()
    prefix = f"e2e-{uuid.uuid4().hex[:12]}"
    location = f"s3://{bucket}/{prefix}"
    db = f"sqlite://{tmp_path / 'pw.db'}"
    add_officer(db)
    with serving(tmp_path, db, papers=location, env=env, pid=True) as (first, pid):
        path = upload_and_publish(first)
        with urllib.request.urlopen(f"{endpoint}/{bucket}?list-type=2&prefix={prefix}/") as r:
            listing = r.read().decode()
        assert f"<Key>{prefix}/{SHA[:2]}/{SHA}</Key>" in listing, "kept in the bucket under its SHA-256"
        assert not (tmp_path / "papers").exists(), "nothing is kept on the server's disk"
        check_round_trip(first, path)
        check_memory(first, path, pid)
        # A second server on the same database and bucket serves the same paper.
        with serving(tmp_path, db, papers=location, env=env) as second:
            check_round_trip(second, path)
