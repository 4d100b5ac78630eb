#!/usr/bin/env python3
"""The reviewer's report of each example, checked where a reviewer reads it.

HTML: headless Chromium opens it with no console message, and a screenshot is taken (written
to SCREENSHOTS for people to look at); the page refers to nothing outside itself.
PDF: pdftotext extracts every section title, the footer's page numbers, and the contents
page's page numbers point at the pages where the sections are; two runs give the same bytes.
Bundle: `sha256sum -c SHA256SUMS` accepts it.

Usage: check_report.py CLI SCREENSHOTS PROJECT...
Skips (exit 0 with "skipped") when chromium or pdftotext is absent."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

cli, shots, projects = sys.argv[1], sys.argv[2], sys.argv[3:]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
pdftotext = shutil.which("pdftotext")
if not chromium or not pdftotext:
    print("chromium or pdftotext is absent (scripts/setup.sh installs them for the tests): skipped")
    sys.exit(0)

SECTIONS = ["1 Summary", "2 System", "3 Threats", "4 Attack trees", "5 Fault trees", "6 Hazard log",
            "7 Resilience", "8 Compliance", "9 Appendix: model settings and provenance"]
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)


def page_text(pdf, page):
    return run([pdftotext, "-layout", "-f", str(page), "-l", str(page), pdf, "-"]).stdout


os.makedirs(shots, exist_ok=True)
with tempfile.TemporaryDirectory() as tmp:
    for project in projects:
        name = os.path.basename(project).split(".")[0]
        html = os.path.join(tmp, name + ".html")
        r = run([cli, "export", project, "--format", "html", "-o", html])
        if r.returncode != 0:
            fail(f"{name}: export html: {r.stderr}")
            continue
        text = open(html, encoding="utf-8").read()
        outside = re.findall(r'(?:src|href)\s*=\s*"(?!#)[^"]*"|url\(|@import|<script|<link', text)
        if outside:
            fail(f"{name}: the page refers outside itself: {outside[:3]}")

        # Chromium, headless, as root in CI: no sandbox, no network, a fresh profile.
        shot = os.path.join(shots, f"report-{name}.png")
        profile = os.path.join(tmp, "profile-" + name)
        r = run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}", "--window-size=1280,1600",
                 f"--screenshot={shot}", "file://" + os.path.abspath(html)])
        console = [line for line in r.stderr.splitlines() if ":CONSOLE" in line]
        if console:
            fail(f"{name}: console messages in Chromium: {console[:3]}")
        if not os.path.exists(shot) or os.path.getsize(shot) < 20000:
            fail(f"{name}: no screenshot from Chromium ({r.returncode}): {r.stderr[-500:]}")

        # PDF: twice, the same bytes.
        pdfs = []
        for k in range(2):
            pdf = os.path.join(tmp, f"{name}-{k}.pdf")
            r = run([cli, "export", project, "--format", "pdf", "-o", pdf])
            if r.returncode != 0:
                fail(f"{name}: export pdf: {r.stderr}")
                break
            pdfs.append(pdf)
        if len(pdfs) < 2:
            continue
        if open(pdfs[0], "rb").read() != open(pdfs[1], "rb").read():
            fail(f"{name}: two PDFs of the same project differ")
        full = run([pdftotext, "-layout", pdfs[0], "-"]).stdout
        for section in SECTIONS:
            if section not in full:
                fail(f"{name}: the PDF's text lacks the section {section!r}")
        pages = re.findall(r"page (\d+) of (\d+)", full)
        if not pages or int(pages[0][0]) != 1 or len(pages) != int(pages[0][1]):
            fail(f"{name}: footers do not number every page: {pages[:3]} ... {pages[-1:]}")
        # The contents: each top section's page number leads to the page with its heading.
        contents = "".join(page_text(pdfs[0], k) for k in (1, 2, 3))  # the contents may run over
        for section in SECTIONS:
            m = re.search(re.escape(section) + r"\s+(\d+)\s*$", contents, re.M)
            if not m:
                fail(f"{name}: the contents lack {section!r} with a page")
                continue
            page = int(m.group(1))
            if not any(line.strip() == section for line in page_text(pdfs[0], page).splitlines()):
                fail(f"{name}: the contents send {section!r} to page {page}, where it is not")

        # The bundle checks with sha256sum, without Thornwood.
        bundle = os.path.join(tmp, "bundle-" + name)
        r = run([cli, "export", project, "--bundle", bundle])
        if r.returncode != 0:
            fail(f"{name}: export --bundle: {r.stderr}")
            continue
        r = run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=bundle)
        if r.returncode != 0:
            fail(f"{name}: sha256sum -c SHA256SUMS: {r.stdout} {r.stderr}")
        print(f"{name}: HTML in Chromium, PDF text and contents, bundle checksums: ok; screenshot {shot}")

sys.exit(1 if failures else 0)
