"""What the Python tests share: the real binary, and serving it on a free port."""
import contextlib
import datetime
import os
import pathlib
import socket
import subprocess
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = str(pathlib.Path(os.environ.get("PLACEWORKS_BIN", ROOT / "target" / "debug" / "placeworks")).resolve())
ENV = {**os.environ, "PLACEWORKS_LOG": "warn"}


def bsp_era_day():
    """The day tests of the 2008 Bucks Strategic Partnership run on, as the
    Rust tests' `bsp_era_clock` gives it: its bodies meet from 2010 until
    they ended in March 2020, so seventeen years before the test day
    (PLACEWORKS_TEST_TODAY, else today), brought back eight years at a time
    should that fall after 2018."""
    given = os.environ.get("PLACEWORKS_TEST_TODAY", "").strip()
    day = datetime.date.fromisoformat(given) if given else datetime.date.today()
    year = day.year - 17
    while (year, day.month, day.day) > (2018, 12, 31):
        year -= 8
    return day.replace(year=year, day=min(day.day, 28) if (day.month, day.day) == (2, 29) else day.day).isoformat()


# The binary on that day.
BSP_ERA = {**ENV, "PLACEWORKS_TODAY": bsp_era_day()}


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
