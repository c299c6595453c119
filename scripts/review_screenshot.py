#!/usr/bin/env python3
"""Render a draft's review page in headless Chromium and save a screenshot.

    python scripts/review_screenshot.py examples/draft.txt --source examples/sources -o docs/review.png

The page is made exactly as ``quotecheck report`` makes it (the same command,
into a temporary directory), opened in Debian's headless Chromium through
chromedriver (``apt-get install chromium chromium-driver``), and the first
quote of the chosen status (``--select``, default: altered) is clicked, so that
the side panel shows its evidence and word diff. The browser is started with a
fresh profile and with its background networking off; the page itself fetches
nothing.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("draft", metavar="DRAFT")
    parser.add_argument("--source", action="append", default=[], metavar="PATH", help="as quotecheck report's")
    parser.add_argument("-o", "--output", required=True, metavar="PNG", help="the screenshot to write")
    parser.add_argument("--select", default="altered", metavar="STATUS",
                        help="click the first quote of this status (default: altered; 'none': select nothing)")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1150)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args(argv)

    for exe in (args.chromium, args.chromedriver):
        if not os.path.exists(exe):
            print(f"review_screenshot: {exe} not found (apt-get install chromium chromium-driver)", file=sys.stderr)
            return 2

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    from quotecheck.cli import main as quotecheck

    work = tempfile.mkdtemp(prefix="quotecheck-screenshot-")
    try:
        page = Path(work) / "review.html"
        argv = ["report", args.draft, "-o", str(page), "--no-cache"]
        for source in args.source:
            argv += ["--source", source]
        with contextlib.redirect_stdout(io.StringIO()):  # its "page: summary" line names the temporary file
            code = quotecheck(argv)
        if code != 0 and not page.exists():
            return code
        options = webdriver.ChromeOptions()
        options.binary_location = args.chromium
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--hide-scrollbars", "--force-device-scale-factor=1",
                     f"--user-data-dir={Path(work) / 'profile'}", f"--window-size={args.width},{args.height}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
        try:
            driver.set_window_size(args.width, args.height)
            driver.get(page.as_uri())
            if args.select != "none":
                quotes = driver.find_elements(By.CSS_SELECTOR, f".draft .q.st-{args.select}")
                if not quotes:
                    print(f"review_screenshot: no {args.select} quote in {args.draft}", file=sys.stderr)
                    return 2
                quotes[0].click()
                driver.execute_script("window.scrollTo(0, 0); arguments[0].blur();", quotes[0])
            Path(args.output).parent.mkdir(parents=True, exist_ok=True)
            if not driver.save_screenshot(str(args.output)):
                print(f"review_screenshot: could not write {args.output}", file=sys.stderr)
                return 2
        finally:
            driver.quit()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{args.output}: {args.width}×{args.height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
