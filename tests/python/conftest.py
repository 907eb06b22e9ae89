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
def serving(tmp, db):
    """Runs `placeworks serve` on `db` from the folder `tmp`; yields its base URL."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = subprocess.Popen([BIN, "serve", "--addr", f"127.0.0.1:{port}", "--database", db, "--assets", str(tmp), "--papers", str(tmp / "papers")], cwd=tmp, env=ENV)
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
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
