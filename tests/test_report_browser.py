"""The HTML report in a real headless Chromium: it loads with no console error and no request
beyond the file itself, every figure has a non-zero rendered size, and a screenshot is taken.

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages separated by NUL bytes on file descriptors 3 and 4), so the test needs no
driver and no client package.  It skips, saying why, where no Chromium is installed
(``.ci/run`` installs Debian's ``chromium`` with apt-get where it can).

Run as a script to render any page: ``python tests/test_report_browser.py PAGE.html OUT.png``.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Seconds to wait for any one answer of the browser.
TIMEOUT = 60.0
FIGURE_SIZES = """JSON.stringify(Array.from(document.querySelectorAll('img, svg'), e => {
  const r = e.getBoundingClientRect();
  return {tag: e.tagName, alt: e.getAttribute('alt') || '', width: r.width, height: r.height,
          loaded: e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0)};
}))"""


def find_chromium() -> str | None:
    """Path of an installed Chromium / Chrome, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """A headless Chromium page driven over the DevTools pipe."""

    def __init__(self, executable: str, width: int = 1200, height: int = 900) -> None:
        self._profile = tempfile.TemporaryDirectory()
        self._log = Path(self._profile.name) / "chromium.log"
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()
        # a small Python trampoline puts the child's ends on fds 3 (commands) and 4
        # (answers), where --remote-debugging-pipe expects them, then execs the browser
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child, from_child)]
        for fd in (to_child, from_child):
            os.close(fd)
        trampoline = ("import os, sys; os.dup2({0}, 3); os.dup2({1}, 4); os.close({0}); "
                      "os.close({1}); os.execv(sys.argv[1], sys.argv[1:])").format(*ends)
        with open(self._log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", trampoline, executable, "--headless", "--no-sandbox",
                 "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                 "--disable-extensions", "--remote-debugging-pipe",
                 f"--user-data-dir={self._profile.name}/profile",
                 f"--window-size={width},{height}"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                pass_fds=ends)
        for fd in ends:
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width,
                  height=height, deviceScaleFactor=1, mobile=False)

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                log = self._log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Chromium closed the DevTools pipe; its log ends: {log}")
            self._buffer += chunk
        text, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(text)

    def call(self, method: str, session: bool = False, **params) -> dict:
        """Send a DevTools command and return its result (events seen meanwhile are kept)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]
            self.events.append(answer)

    def wait_for(self, method: str) -> dict:
        """The first event ``method`` (already seen or coming)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for event in self.events:
                if event.get("method") == method:
                    return event
            self.events.append(self._message(deadline))

    def open(self, path: Path) -> None:
        """Load ``path`` and wait for its load event."""
        self.call("Page.navigate", session=True, url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page."""
        answer = self.call("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True)
        return answer["result"].get("value")

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP, loading) so far."""
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                       for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                errors.append(str(params["exceptionDetails"].get("text")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                errors.append(params["entry"].get("text", ""))
        return errors

    def requested_urls(self) -> list[str]:
        """URLs the page requested (other than ``data:`` URIs)."""
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"
                and not e["params"]["request"]["url"].startswith("data:")]

    def screenshot(self, path: Path) -> Path:
        """Write a PNG of the whole page (not only the window) to ``path``."""
        size = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.call("Page.captureScreenshot", session=True, format="png", clip=clip,
                         captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._read)
        os.close(self._write)
        self._profile.cleanup()


def render(page: Path, screenshot: Path, executable: str) -> tuple[list[str], list[str], list]:
    """Open ``page``, screenshot it; return (console errors, requested URLs, figure sizes)."""
    browser = Browser(executable)
    try:
        browser.open(page)
        figures = json.loads(browser.evaluate(FIGURE_SIZES))
        browser.screenshot(screenshot)
        return browser.console_errors(), browser.requested_urls(), figures
    finally:
        browser.close()


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium found (looked for " + ", ".join(BROWSERS) + "); install "
                    "Debian's chromium package (apt-get install chromium) to run this test")
    return path


def test_report_renders_in_headless_chromium(chromium, tmp_path):
    from report_results import experiment_result, loop_result, measured_result, run_result

    from nanomag.report import build_report

    page = tmp_path / "report.html"
    page.write_text(build_report([("experiment.zarr", experiment_result()),
                                  ("loop.zarr", loop_result()),
                                  ("run.zarr", run_result()),
                                  ("measured.zarr", measured_result(tmp_path / "scans"))]),
                    encoding="utf-8")
    screenshot = tmp_path / "report.png"
    errors, urls, figures = render(page, screenshot, chromium)
    assert errors == []
    assert urls == [page.resolve().as_uri()]  # the page itself, nothing else
    # microstate, drive, spectra, prediction of each experiment; the loop; spectra and
    # prediction of the measured result
    assert len(figures) == 11
    for fig in figures:
        assert fig["loaded"], fig["alt"]
        assert fig["width"] > 100 and fig["height"] > 100, fig
    png = screenshot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= 1000 and height > sum(f["height"] for f in figures)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tests/test_report_browser.py PAGE.html OUT.png")
    executable = find_chromium()
    if executable is None:
        sys.exit("no Chromium found")
    found_errors, found_urls, found_figures = render(Path(sys.argv[1]), Path(sys.argv[2]),
                                                     executable)
    print(json.dumps({"console_errors": found_errors, "requests": found_urls,
                      "figures": found_figures}, indent=1))
