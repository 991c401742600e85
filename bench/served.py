"""A real ``mkdocs serve`` in a subprocess, on a free 127.0.0.1 port, for the benchmark and the tests.

Its site folder is found on disk (serve builds into a ``mkdocs_*`` folder under ``TMPDIR``, which the
process gets as its own), so a test can read every file it wrote; pages are also fetched over HTTP.
Always used as a context manager: the server is stopped (by its process id) however the test ends.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

BUILT = re.compile(r"studyguide: serve build \d+ written")  # hooks.py logs one per build


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """``mkdocs serve`` of ``project`` on ``notes``; ``dirty``: ``--dirty`` (the incremental rebuild)."""

    def __init__(self, project: Path, notes: Path, work: Path, *, dirty: bool = True, port: int | None = None,
                 timeout: float = 600) -> None:
        self.project, self.notes, self.dirty, self.timeout = project, notes, dirty, timeout
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.tmp = work / f"serve-{self.port}-{'dirty' if dirty else 'clean'}"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.log_path = self.tmp / "serve.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Served:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "STUDYGUIDE_NOTES": str(self.notes), "TMPDIR": str(self.tmp)}
        for name in ("STUDYGUIDE_DRAFTS", "STUDYGUIDE_CHECK_EXTERNAL", "STUDYGUIDE_PDF"):
            env.pop(name, None)
        command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(self.project / "mkdocs.yml"),
                   "-a", f"127.0.0.1:{self.port}"]
        if self.dirty:
            command.append("--dirty")
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(command, cwd=self.project, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            self.wait_for_builds(1)
            self.wait_until(lambda: self.fetch("") is not None, "the server to answer")
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # serve shuts down cleanly on Ctrl-C
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def builds(self) -> int:
        return len(BUILT.findall(self.log()))

    @property
    def site(self) -> Path:
        """The folder serve builds into (it removes it when it stops)."""
        found = sorted(self.tmp.glob("mkdocs_*"))
        assert found, f"no site folder under {self.tmp}"
        return found[0]

    def wait_until(self, done: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + self.timeout
        while not done():
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"mkdocs serve stopped while waiting for {what}:\n{self.log()[-4000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}:\n{self.log()[-4000:]}")
            time.sleep(0.05)

    def wait_for_builds(self, count: int) -> None:
        self.wait_until(lambda: self.builds() >= count, f"build {count}")

    def rebuild_after(self, change: Callable[[], object]) -> None:
        """Make ``change`` (edit files) and wait until serve has rebuilt after it."""
        before = self.builds()
        time.sleep(0.05)  # a distinct modification time from the last build's reads
        change()
        self.wait_for_builds(before + 1)

    def fetch(self, path: str) -> str | None:
        """The served text at ``path`` (None: not found or not answering)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310 - 127.0.0.1 only
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def wait_for_text(self, path: str, text: str) -> float:
        """Poll ``path`` until it holds ``text``; seconds waited."""
        start = time.monotonic()
        self.wait_until(lambda: text in (self.fetch(path) or ""), f"{text!r} in /{path}")
        return time.monotonic() - start


LIVERELOAD = re.compile(r"<script>\s*var livereload.*?</script>", re.S)
