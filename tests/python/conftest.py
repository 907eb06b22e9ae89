"""What the Python tests share: the real binary, and serving it on a free port."""
import contextlib
import os
import pathlib
import socket
import subprocess
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = str(pathlib.Path(os.environ.get("PLACEWORKS_BIN", ROOT / "target" / "debug" / "placeworks")).resolve())
ENV = {**os.environ, "PLACEWORKS_LOG": "warn"}


@contextlib.contextmanager
def serving(tmp, db, papers=None, env=None, pid=False):
    """Runs `placeworks serve` on `db` from the folder `tmp`, its papers in
    `papers` (a folder or s3:// location; `tmp/papers` unless given), with
    `env` added to its environment; yields its base URL (and with `pid`,
    its process id too)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    papers = papers or str(tmp / "papers")
    proc = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{port}", "--database", db, "--assets", str(tmp), "--papers", papers], cwd=tmp, env={**ENV, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("placeworks did not start")
        yield (base, proc.pid) if pid else base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
