#!/usr/bin/env python3
"""The real-browser test of `digitag serve` (issue #15): headless Chromium driven by Selenium.

Starts the real binary on a run of SampleData that the binary itself makes, with a users file made by
`digitag users add`, on a free port, and then, as a person would in a browser:

  city analyst (3701)     signs in, searches a fragment of a Chinese name, opens the profile, runs a
                          segment, downloads its CSV (UTF-8 with BOM, one row per enterprise of the count)
  county inspector        signs in; an enterprise of another city is "not found" (the same page as a code
                          that exists nowhere), an export and a confidential tag are refused
  inspection manager      draws and verifies a sample on the /tasks pages — only when the server has them
                          (GET /tasks answers something other than 404); said so in the output either way

Every step prints its name and time; a failing step stops the test with its name, a screenshot
(FAILED-<step>.png) and the end of the server's log. Screenshots of every step are kept in the scratch
folder (under $TMPDIR, so `make test` keeps them in .build/test-tmp/browser-test/).

Needs: chromium and chromium-driver (Debian), selenium in .venv (`make test` installs all three if missing).
Usage: .venv/bin/python scripts/browser-test.py [--bin .build/debug/digitag] [--scratch DIR]
"""

import argparse
import csv
import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Users of the test, one per role it drives. Passwords are made up for this throw-away users file.
ANALYST = ("wang.li", "city_analyst", "3701", "browser test analyst 1")
INSPECTOR = ("li.na", "county_inspector", "370102", "browser test inspector 2")
MANAGER = ("zhao.min", "inspection_manager", "3701", "browser test manager 3")

# SampleData's hand-made enterprise in 历下区 (370102), and a generated one of Qingdao (3702, another city).
# Their names and regions are in SampleData/market/enterprises-handmade.csv and enterprises.csv.
HOME_USCC = "91370102HANDMADE1C"
HOME_NAME = '济南"好"商贸有限公司'
HOME_FRAGMENT = '好"商贸'
OTHER_CITY_USCC = "913702147T2CXJEUG8"
OTHER_CITY_NAME = "青岛恒鸿渔业有限责任公司"
# A code with a right check character that no enterprise has: its page must be the other city's page.
NOWHERE_USCC = "91370102MA3C00000B"

# Three conditions, one the analyst's city: the page's count must equal the CLI's count of the same run.
SEGMENT = "city == '3701' and basic.age.years >= 3 and class in ['B','C','D']"
CONFIDENTIAL = "tax.rating == 'A'"

NOT_FOUND = "No enterprise with this code in your area"


class StepFailed(Exception):
    pass


class Test:
    def __init__(self, args):
        self.bin = os.path.abspath(args.bin)
        base = args.scratch or os.path.join(tempfile.gettempdir(), "browser-test")
        shutil.rmtree(base, ignore_errors=True)
        os.makedirs(base)
        self.scratch = base
        self.downloads = os.path.join(base, "downloads")
        os.makedirs(self.downloads)
        self.server = None
        self.driver = None
        self.port = None
        self.shot = 0
        self.started = time.monotonic()

    # ---- the frame: named steps, screenshots, a loud failure ----

    def step(self, name, fn, *a):
        t0 = time.monotonic()
        print(f"browser-test: {name} …", end="", flush=True)
        try:
            out = fn(*a)
        except Exception as e:  # any failure, ours or Selenium's, ends the test with the step's name
            print(" FAILED", flush=True)
            self.fail(name, e)
        print(f" ok ({time.monotonic() - t0:.1f} s)", flush=True)
        return out

    def fail(self, name, error):
        if self.driver is not None:
            try:
                path = os.path.join(self.scratch, f"FAILED-{slug(name)}.png")
                self.driver.save_screenshot(path)
                print(f"browser-test: screenshot of the failure: {path}", file=sys.stderr)
                print(f"browser-test: page at {self.driver.current_url}:\n{self.text()[:1500]}", file=sys.stderr)
            except Exception:
                pass
        log = os.path.join(self.scratch, "serve.log")
        if os.path.exists(log):
            tail = open(log, encoding="utf-8", errors="replace").read()[-2000:]
            print(f"browser-test: end of the server's log ({log}):\n{tail}", file=sys.stderr)
        print(f"\nbrowser-test: FAILED at step '{name}': {error}", file=sys.stderr)
        self.close()
        sys.exit(1)

    def screenshot(self, name):
        self.shot += 1
        self.driver.save_screenshot(os.path.join(self.scratch, f"{self.shot:02d}-{slug(name)}.png"))

    def check(self, condition, message):
        if not condition:
            raise StepFailed(message)

    def text(self):
        """The page's visible text. Read again if the body was replaced while it was read (Chrome then says
        "Node with given id does not belong to the document" rather than a stale-element error)."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.common.by import By

        for attempt in range(3):
            try:
                return self.driver.find_element(By.TAG_NAME, "body").text
            except WebDriverException:
                if attempt == 2:
                    raise
                time.sleep(0.2)

    # ---- the server ----

    def run_binary(self, *argv, stdin=None, ok=(0,)):
        p = subprocess.run([self.bin, *argv], input=stdin, capture_output=True, text=True, cwd=ROOT)
        if p.returncode not in ok:
            raise StepFailed(f"digitag {' '.join(argv)} exited {p.returncode}: {p.stderr.strip()[-800:]}")
        return p

    def make_run(self):
        self.runs = os.path.join(self.scratch, "runs")
        self.run_binary("run", "--pipeline", "Pipelines/shandong.yaml", "--input", "SampleData", "--as-of", "2024-12-31",
                        "--out", self.runs)
        self.check(os.path.isdir(os.path.join(self.runs, "current")), "the run published nothing")

    def make_users(self):
        self.users = os.path.join(self.scratch, "users.yaml")
        for name, role, region, password in (ANALYST, INSPECTOR, MANAGER):
            self.run_binary("users", "add", name, "--role", role, "--region", region, "--users", self.users,
                            stdin=f"{password}\n{password}\n")
        text = open(self.users, encoding="utf-8").read()
        for name, _, _, password in (ANALYST, INSPECTOR, MANAGER):
            self.check(name in text and password not in text, f"users file: {name} missing or its password in clear")

    def start_server(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self.base = f"http://127.0.0.1:{self.port}"
        self.samples = os.path.join(self.scratch, "samples")
        os.makedirs(self.samples)
        log = open(os.path.join(self.scratch, "serve.log"), "w")
        self.server = subprocess.Popen(
            [self.bin, "serve", "--runs", self.runs, "--samples", self.samples, "--users", self.users,
             "--audit-log", os.path.join(self.scratch, "audit.log"), "--listen", f"127.0.0.1:{self.port}"],
            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise StepFailed(f"digitag serve exited {self.server.returncode} at start")
            try:
                if self.http("GET", "/login")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise StepFailed("digitag serve did not answer GET /login within 30 s")

    def http(self, method, path, headers=None):
        """One request outside the browser (no redirects followed): status and body."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request(method, path, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read()
        finally:
            c.close()

    def start_browser(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        o = webdriver.ChromeOptions()
        o.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                  "--lang=zh-CN", "--no-first-run", "--disable-extensions", "--disable-background-networking"):
            o.add_argument(a)
        o.add_experimental_option("prefs", {
            "download.default_directory": self.downloads, "download.prompt_for_download": False,
            "safebrowsing.enabled": False})
        driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        self.driver = webdriver.Chrome(service=Service(driver_path), options=o)
        self.driver.set_page_load_timeout(20)
        # Headless Chromium saves downloads only where it is told to, through the DevTools protocol.
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})

    def close(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except Exception:
                pass
            self.driver = None
        if self.server is not None and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()

    def follow(self, element):
        """Clicks a link or a form's button and waits for the next page: WebDriver's click can return before
        the navigation it starts has finished, and reading the URL or the page then reads the old one."""
        from selenium.webdriver.support.ui import WebDriverWait

        from selenium.common.exceptions import WebDriverException

        element.click()

        def gone(_):
            # The old page's element is stale once the new page is there; while Chrome swaps documents it may
            # answer "Node with given id does not belong to the document" instead: gone as well.
            try:
                element.is_enabled()
                return False
            except WebDriverException:
                return True

        WebDriverWait(self.driver, 30).until(gone)
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")

    # ---- what people do ----

    def sign_in(self, user):
        from selenium.webdriver.common.by import By

        name, role, region, password = user
        self.driver.delete_all_cookies()
        self.driver.get(self.base + "/login")
        self.driver.find_element(By.NAME, "user").send_keys(name)
        self.driver.find_element(By.NAME, "password").send_keys(password)
        self.follow(self.driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button"))
        self.check(urllib.parse.urlparse(self.driver.current_url).path == "/search",
                   f"after signing in the browser is at {self.driver.current_url}, not /search")
        header = self.driver.find_element(By.TAG_NAME, "header").text
        self.check(name in header and region in header, f"the header does not show {name} and {region}: {header!r}")
        cookie = self.driver.get_cookie("digitag_session")
        self.check(cookie is not None and cookie.get("httpOnly"), f"session cookie missing or not HttpOnly: {cookie}")
        self.screenshot(f"signed-in-{name}")

    def sign_out(self):
        from selenium.webdriver.common.by import By

        self.follow(self.driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
        self.check(urllib.parse.urlparse(self.driver.current_url).path == "/login", "signing out did not lead to /login")
        self.driver.get(self.base + "/search")
        self.check(urllib.parse.urlparse(self.driver.current_url).path == "/login", "after signing out /search is still open")

    def search_name(self):
        from selenium.webdriver.common.by import By

        box = self.driver.find_element(By.NAME, "q")
        box.clear()
        box.send_keys(HOME_FRAGMENT)
        box.submit()
        links = self.driver.find_elements(By.CSS_SELECTOR, f"a[href='/enterprise/{HOME_USCC}']")
        self.check(links, f"searching {HOME_FRAGMENT!r} does not list {HOME_USCC}")
        self.check(HOME_NAME in self.text(), f"the hit does not show the name {HOME_NAME}")
        self.screenshot("search")
        self.follow(links[0])

    def profile(self):
        path = urllib.parse.urlparse(self.driver.current_url).path
        self.check(path == f"/enterprise/{HOME_USCC}", f"the hit led to {path}")
        t = self.text()
        self.check(HOME_USCC in t and HOME_NAME in t, "the profile shows neither the code nor the name")
        # A city analyst sees up to internal: the confidential tax rating is absent from the page.
        self.check("tax.rating" not in self.driver.page_source, "a city analyst's profile shows tax.rating (confidential)")
        self.screenshot("profile")

    def segment(self):
        from selenium.webdriver.common.by import By

        self.driver.get(self.base + "/segments")
        box = self.driver.find_element(By.NAME, "expr")
        box.send_keys(SEGMENT)
        self.follow(self.driver.find_element(By.CSS_SELECTOR, "form[action='/segments'] button"))
        total = int(self.driver.find_element(By.CSS_SELECTOR, "main p strong").text)
        # The CLI counts the same expression on the same run; its region condition is the analyst's scope.
        cli = self.run_binary("query", SEGMENT, "--run", os.path.join(self.runs, "current"), "--format", "json").stdout
        expected = json.loads(cli)["count"]
        self.check(total == expected, f"the page counts {total}, digitag query counts {expected}")
        self.check(total > 0, "the segment is empty: pick an expression that matches something")
        # Counts by class: one row per class of the expression (B, C, D), adding up to the total.
        cells = self.driver.find_elements(By.XPATH, "//h3[contains(., 'By class')]/following-sibling::table[1]//tr")
        by_class = {r.find_elements(By.TAG_NAME, "td")[0].text.split()[0]: int(r.find_elements(By.TAG_NAME, "td")[1].text)
                    for r in cells}
        self.check(set(by_class) <= {"B", "C", "D"} and sum(by_class.values()) == total,
                   f"the counts by class are {by_class}, not classes B–D adding up to {total}")
        self.screenshot("segment")
        return total

    def download(self, total):
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, "a[href^='/segments.csv']").click()
        path = os.path.join(self.downloads, "segment.csv")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if os.path.exists(path) and not any(f.endswith(".crdownload") for f in os.listdir(self.downloads)):
                break
            time.sleep(0.2)
        self.check(os.path.exists(path), f"no segment.csv in {self.downloads} after 20 s: {os.listdir(self.downloads)}")
        data = open(path, "rb").read()
        self.check(data.startswith(b"\xef\xbb\xbf"), f"the CSV does not start with a UTF-8 byte-order mark: {data[:8]!r}")
        rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
        self.check(rows and rows[0][0] == "uscc", f"the CSV's header is {rows[:1]}")
        self.check(len(rows) - 1 == total, f"the CSV has {len(rows) - 1} enterprises, the page counted {total}")
        # The same enterprises as the CLI's list of the same expression on the same run.
        listed = os.path.join(self.scratch, "cli-segment.csv")
        self.run_binary("query", SEGMENT, "--run", os.path.join(self.runs, "current"), "--list", "--csv", listed)
        cli = [r[0] for r in csv.reader(open(listed, encoding="utf-8-sig"))][1:]
        self.check(sorted(r[0] for r in rows[1:]) == sorted(cli), "the CSV's enterprises differ from digitag query --list")

    def inspector_refused(self):
        from selenium.webdriver.common.by import By

        # Another city's enterprise and a code that exists nowhere: the same answer, without the name.
        self.driver.get(self.base + f"/enterprise/{OTHER_CITY_USCC}")
        other = self.text()
        self.check(NOT_FOUND in other, f"another city's enterprise is not 'not found': {other[:300]!r}")
        self.check(OTHER_CITY_NAME not in self.driver.page_source, "the not-found page reveals the other city's enterprise name")
        self.screenshot("inspector-other-city")
        self.driver.get(self.base + f"/enterprise/{NOWHERE_USCC}")
        nowhere = self.text()
        self.check(nowhere.replace(NOWHERE_USCC, "X") == other.replace(OTHER_CITY_USCC, "X"),
                   "the pages of another city's enterprise and of a code that exists nowhere differ")
        # Searching the other city's code says the same.
        self.driver.get(self.base + f"/search?q={OTHER_CITY_USCC}")
        self.check(NOT_FOUND in self.text(), "searching another city's code does not answer 'not found'")
        # An export: the county inspector may query but not export; no link, and the URL is refused.
        self.driver.get(self.base + "/segments?expr=" + urllib.parse.quote("basic.age.years >= 3"))
        self.check(not self.driver.find_elements(By.CSS_SELECTOR, "a[href^='/segments.csv']"),
                   "the inspector's segment page offers a CSV download")
        self.driver.get(self.base + "/segments.csv?expr=" + urllib.parse.quote("basic.age.years >= 3"))
        t = self.text()
        self.check("export" in t and "Not allowed" in t, f"the export is not refused: {t[:300]!r}")
        self.check(not os.path.exists(os.path.join(self.downloads, "segment (1).csv")), "the refused export was downloaded")
        self.screenshot("inspector-export-refused")
        # A confidential tag in an expression: refused with the reason.
        self.driver.get(self.base + "/segments")
        self.driver.find_element(By.NAME, "expr").send_keys(CONFIDENTIAL)
        self.follow(self.driver.find_element(By.CSS_SELECTOR, "form[action='/segments'] button"))
        t = self.text()
        self.check("tax.rating is confidential" in t, f"a confidential tag is not refused with its reason: {t[:300]!r}")
        self.screenshot("inspector-confidential-refused")

    def audit_log(self):
        """Every step above left its line; the chain verifies (the CLI checks it independently of the server)."""
        out = self.run_binary("audit", "verify", os.path.join(self.scratch, "audit.log")).stdout
        self.check("chain intact" in out, out)
        lines = open(os.path.join(self.scratch, "audit.log"), encoding="utf-8").read()
        for needle in (f'"subject": "{HOME_USCC}"', '"action": "segment.export"', '"outcome": "not_found"', '"outcome": "refused"'):
            self.check(needle in lines, f"the audit log has no line with {needle}")


def inspection_manager_flow(t, task="SD-2025-GEN-01"):
    """An inspection manager draws a task's sample and verifies it in the browser (GET /tasks, GET /tasks/{task},
    POST /tasks/{task}/draw, POST /tasks/{task}/verify, the routes planned for the inspection pages).

    Checked outside the pages: the draw wrote <samples>/<task>/audit.json and `digitag sample verify` accepts it
    (the CLI re-runs the draw); a second draw is refused ("drawn once") and changes nothing.
    """
    from selenium.webdriver.common.by import By

    t.sign_in(MANAGER)
    t.driver.get(t.base + "/tasks")
    links = t.driver.find_elements(By.CSS_SELECTOR, f"a[href='/tasks/{task}']")
    t.check(links, f"/tasks does not list {task}")
    t.screenshot("tasks")
    t.follow(links[0])
    t.check(urllib.parse.urlparse(t.driver.current_url).path == f"/tasks/{task}", f"the task link led to {t.driver.current_url}")
    draw = t.driver.find_elements(By.CSS_SELECTOR, f"form[action='/tasks/{task}/draw']")
    t.check(draw, f"/tasks/{task} has no draw form (POST /tasks/{task}/draw) before the task is drawn")
    t.check(draw[0].find_elements(By.NAME, "csrf_token"), "the draw form carries no CSRF token")
    t.follow(draw[0].find_element(By.CSS_SELECTOR, "button, input[type=submit]"))
    audit = os.path.join(t.samples, task, "audit.json")
    t.check(os.path.exists(audit), f"drawing in the browser wrote no {audit}")
    plan = open(os.path.join(t.samples, task, "plan.csv"), encoding="utf-8-sig").read().splitlines()
    t.check(len(plan) > 1, "the drawn plan.csv is empty")
    t.check(not t.driver.find_elements(By.CSS_SELECTOR, ".error"), f"the page after the draw shows an error: {t.text()[:300]!r}")
    t.screenshot("task-drawn")
    before = open(audit, "rb").read()
    t.run_binary("sample", "verify", os.path.join(t.samples, task))
    # Verify in the browser.
    t.driver.get(t.base + f"/tasks/{task}")
    verify = t.driver.find_elements(By.CSS_SELECTOR, f"form[action='/tasks/{task}/verify']")
    t.check(verify, f"/tasks/{task} has no verify form once drawn")
    t.follow(verify[0].find_element(By.CSS_SELECTOR, "button, input[type=submit]"))
    t.check(not t.driver.find_elements(By.CSS_SELECTOR, ".error"), f"verifying shows an error: {t.text()[:300]!r}")
    t.screenshot("task-verified")
    # Drawn once: a draw form, if still offered, is refused and changes nothing.
    t.driver.get(t.base + f"/tasks/{task}")
    again = t.driver.find_elements(By.CSS_SELECTOR, f"form[action='/tasks/{task}/draw']")
    if again:
        t.follow(again[0].find_element(By.CSS_SELECTOR, "button, input[type=submit]"))
        t.check(t.driver.find_elements(By.CSS_SELECTOR, ".error"), "a second draw is not refused")
    t.check(open(audit, "rb").read() == before, "a second draw changed audit.json")
    t.sign_out()


def slug(s):
    return "".join(c if c.isalnum() else "-" for c in s.lower()).strip("-")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/digitag"))
    ap.add_argument("--scratch", help="folder for the run, users, audit log and screenshots (emptied first)")
    args = ap.parse_args()
    try:
        import selenium  # noqa: F401
    except ImportError:
        sys.exit("browser-test: selenium is missing: run it with .venv/bin/python ('make test' installs it)")
    t = Test(args)
    t.step("make a run of SampleData", t.make_run)
    t.step("add users (digitag users add)", t.make_users)
    t.step("start digitag serve", t.start_server)
    t.step("start headless Chromium", t.start_browser)
    t.step("city analyst signs in", t.sign_in, ANALYST)
    t.step("search a fragment of a Chinese name", t.search_name)
    t.step("open the profile", t.profile)
    total = t.step("run a segment", t.segment)
    t.step("download the segment's CSV", t.download, total)
    t.step("city analyst signs out", t.sign_out)
    t.step("county inspector signs in", t.sign_in, INSPECTOR)
    t.step("county inspector is refused", t.inspector_refused)
    t.step("county inspector signs out", t.sign_out)
    status = t.step("ask whether the server has /tasks", lambda: t.http("GET", "/tasks")[0])
    if status == 404:
        print("browser-test: GET /tasks answers 404 — this server has no inspection pages: the inspection manager's "
              "draw and verify (inspection_manager_flow) NOT run")
    else:
        print(f"browser-test: GET /tasks answers {status}: running the inspection manager's draw and verify")
        t.step("inspection manager draws and verifies a sample", inspection_manager_flow, t)
    t.step("the audit log has every access and verifies", t.audit_log)
    t.close()
    print(f"browser-test: passed in {time.monotonic() - t.started:.1f} s; screenshots in {t.scratch}")


if __name__ == "__main__":
    main()
