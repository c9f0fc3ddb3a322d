"""The README's pictures, taken from the demonstration: `make screenshots`.

Builds the demo in a database of its own (the plans, the demo users, the history of
`load_demo_history`, the clock at the demo's date), serves it, and saves to docs/screenshots/
the directorate's home, a measure page, the overview and the timeline (Chromium at 1280 px),
and the first page of the finalised 2018 report (pdftoppm, from Debian's poppler-utils).
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "Skjermbilder-2019"
ADDRESS = "127.0.0.1:8765"
CHROMIUM = "/usr/bin/chromium"


def main():
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
            "DEMO_TODAY": "2019-09-15",
            "DEMO_PASSWORD": PASSWORD,
            "DEBUG": "false",
            "MFA_REQUIRED_ROLES": "",  # the demo's users sign in with a password, as in make run
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)

        def manage(*args):
            subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )

        manage("migrate", "--no-input", "-v0")
        manage("seed_demo")
        manage("load_demo_history")
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", ADDRESS],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_server()
            take(folder)
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_for_server(seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{ADDRESS}/helse/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the demo server did not start")


def take(folder):
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    base = f"http://{ADDRESS}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        def signed_in(username):
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="nb-NO", base_url=base
            )
            page = context.new_page()
            page.goto("/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            return page

        page = signed_in("avdir")
        page.goto("/")
        page.screenshot(path=OUT / "home-directorate.png", full_page=False)

        page = signed_in("koordinator")
        page.goto("/tiltak/?plan=handlingsplan-2018-2020")
        page.get_by_role("link", name="4 Koordinere økonomiske virkemidler").first.click()
        page.screenshot(path=OUT / "measure.png", full_page=False)
        page.goto("/oversikt/")
        page.screenshot(path=OUT / "overview.png", full_page=False)
        page.goto("/oversikt/tidslinje/")
        page.screenshot(path=OUT / "timeline.png", full_page=False)
        page.goto("/rapport/")
        page.get_by_role("link", name="Versjon 1").first.click()
        pdf = page.request.get(page.url + "fil.pdf")
        (Path(folder) / "report.pdf").write_bytes(pdf.body())
        browser.close()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(Path(folder) / "report.pdf"),
            str(OUT / "report-pdf"),
        ],
        check=True,
    )
    print(f"Saved the pictures in {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
