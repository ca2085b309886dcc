"""Headless Chromium against `countersign serve`: a new signer's first minute (petition page, sign form, the mailed link,
Confirm), then the organizer's sign-in and dashboard, with axe-core run on every page visited (no violation of impact
"serious" or "critical"). It also checks the petition page on a phone-sized screen, and the count badge embedded by
<img> on a page of another origin that isolates itself (Cross-Origin-Embedder-Policy: require-corp).

Chromium and chromedriver are Debian's (`chromium`, `chromium-driver`), selenium is PyPI's, and axe-core comes from a
PyPI wheel that `make deps` unpacks (see the Makefile); nothing is fetched from the network at test time.
"""
import http.server
import os
import pathlib
import shutil
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_service import ROOT, SLUG, cli, database_for, free_port, link, messages, start_service

AXE_CORE = pathlib.Path(os.environ.get("AXE_CORE", ROOT / ".build" / "axe-core" / "axe.min.js"))
PHONE = {"width": 375, "height": 740, "deviceScaleFactor": 2, "mobile": True}
MILESTONES = (5, 100)


@pytest.fixture
def service(tmp_path):
    """The service on SQLite (the pages do not depend on the store), serving the seed petition with milestones."""
    petitions = tmp_path / "petitions"
    petitions.mkdir()
    for seed in (ROOT / "seeds").glob("*.petition"):
        head, text = seed.read_text().split("\n\n", 1)
        (petitions / seed.name).write_text(head + "".join(f"\nMilestone: {m}" for m in MILESTONES) + "\n\n" + text)
    description, stop = start_service(tmp_path, database_for("sqlite", tmp_path), petitions=petitions)
    yield description
    stop()


@pytest.fixture
def browser():
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium and chromedriver, "Chromium is missing: `make deps` installs the Debian packages chromium and chromium-driver"
    options = Options()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def assert_accessible(driver, page):
    """Runs axe-core on the current page; fails on any violation of impact serious or critical."""
    assert AXE_CORE.is_file(), f"{AXE_CORE} is missing: `make deps` unpacks it from the axe-selenium-python wheel"
    driver.execute_script(AXE_CORE.read_text())
    assert driver.execute_script("return axe.version").startswith("4."), "axe-core 3 misreports autocomplete=off"
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))))"
        ".catch(e => done('axe failed: ' + e));")
    assert isinstance(violations, list), violations
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"{page}: {serious}"


def text(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector).text


def wait_text(driver, selector, expected):
    """Waits for the page a click opened: until `selector`'s text is `expected` (or 10 s have passed)."""
    try:
        WebDriverWait(driver, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
            lambda d: text(d, selector) == expected)
    except TimeoutException:
        raise AssertionError(f"{selector} never read {expected!r} on {driver.current_url}: {driver.page_source[:2000]}")


def test_signer_and_organizer_walk(service, browser):
    base, inbox = service["base"], service["inbox"]
    browser.get(f"{base}/")
    assert_accessible(browser, "index")
    assert "0 confirmed signatures" in text(browser, "main li")

    browser.find_element(By.LINK_TEXT, "Tell Amazon to cut all ties with police and ICE").click()
    wait_text(browser, ".count", "0 confirmed signatures")
    assert_accessible(browser, "petition page")
    assert text(browser, ".milestone label") == "Next milestone: 0 of 5 signatures"
    browser.find_element(By.NAME, "email").send_keys("first.signer@example.org")
    Select(browser.find_element(By.NAME, "region")).select_by_visible_text("Texas")
    browser.find_element(By.CSS_SELECTOR, ".sign button[type=submit]").click()
    wait_text(browser, "h1", "Check your email")
    assert_accessible(browser, "check your email")

    [(message, _)] = messages(inbox, 1)
    browser.get(link(message, "confirm"))
    assert text(browser, "h1") == "Confirm your signature"
    assert_accessible(browser, "confirm page")
    browser.find_element(By.XPATH, "//button[normalize-space()='Confirm']").click()
    wait_text(browser, "h1", "Thank you")
    assert "confirmed and counted" in text(browser, "main")
    assert_accessible(browser, "confirmed page")

    browser.find_element(By.LINK_TEXT, "Back to the petition").click()
    wait_text(browser, ".count", "1 confirmed signature")
    assert text(browser, ".milestone label") == "Next milestone: 1 of 5 signatures"
    assert browser.find_element(By.ID, "milestone").get_attribute("value") == "1"

    token = cli(service, "tokens", "create", "--role", "organizer", "--petition", SLUG)
    browser.get(f"{base}/organize/{SLUG}")
    assert text(browser, "h1") == "Organizer sign-in"
    assert_accessible(browser, "organizer sign-in")
    browser.find_element(By.NAME, "token").send_keys(token)
    browser.find_element(By.XPATH, "//button[normalize-space()='Open the dashboard']").click()
    wait_text(browser, ".count", "1 confirmed signature (exact).")
    assert_accessible(browser, "dashboard")
    browser.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Show per day')]").click()
    wait_text(browser, "main h2", "Per day")
    assert browser.find_element(By.CSS_SELECTOR, "main svg").is_displayed()
    assert_accessible(browser, "dashboard with chart and regions")


def test_phone_shows_the_sign_form_before_the_text(service, browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    browser.get(f"{service['base']}/petitions/{SLUG}")
    assert browser.execute_script("return window.innerWidth") == PHONE["width"]
    assert_accessible(browser, "petition page on a phone")
    form = browser.find_element(By.CSS_SELECTOR, "form[action$='/sign']").rect
    paragraph = browser.find_element(By.CSS_SELECTOR, ".text p").rect
    button = browser.find_element(By.CSS_SELECTOR, ".sign button[type=submit]").rect
    assert form["y"] < paragraph["y"], (form, paragraph)
    assert button["y"] + button["height"] <= PHONE["height"], f"the Sign button is below the first screen: {button}"
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"

    # A wide screen sets the form beside the text instead.
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(1280, 900)
    browser.get(f"{service['base']}/petitions/{SLUG}")
    sign, text_block = (browser.find_element(By.CSS_SELECTOR, s).rect for s in (".sign", ".text"))
    assert sign["x"] > text_block["x"] + text_block["width"] - 1 and abs(sign["y"] - text_block["y"]) < 2, (sign, text_block)


def test_badge_embeds_cross_origin(service, browser):
    badge = f"{service['base']}/petitions/{SLUG}/count.svg"
    page = (f'<!doctype html><html lang="en"><head><title>Embedder</title></head><body><main>'
            f'<img id="badge" src="{badge}" alt="Signatures of the petition"></main></body></html>').encode()

    class Embedder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Embedder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        # localhost and 127.0.0.1 are two origins: the badge is fetched cross-origin.
        browser.get(f"http://localhost:{server.server_address[1]}/")
        loaded = WebDriverWait(browser, 10).until(lambda d: d.execute_script(
            "const i = document.getElementById('badge'); return i.complete ? [i.naturalWidth, i.naturalHeight] : null"))
        assert loaded[0] > 0 and loaded[1] == 20, f"the badge did not load cross-origin: {loaded}"
        assert browser.execute_script("return self.crossOriginIsolated"), "the embedding page is not isolated, so CORP went untested"
    finally:
        server.shutdown()


def test_proof_of_work_in_the_browser(tmp_path, browser):
    """With `--proof-of-work on`, the page's own script (/pow.js, a Web Worker with WebCrypto) solves the challenge and
    fills the altcha field when Sign is pressed: the sign is taken (a sign without a solution gets 403), the mail comes,
    and the page stays accessible."""
    service, stop = start_service(tmp_path, database_for("sqlite", tmp_path), extra=("--proof-of-work", "on"))
    try:
        browser.get(f"{service['base']}/petitions/{SLUG}")
        assert_accessible(browser, "petition page with proof of work")
        browser.find_element(By.NAME, "email").send_keys("worker.signer@example.org")
        browser.find_element(By.CSS_SELECTOR, ".sign button[type=submit]").click()
        WebDriverWait(browser, 60, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
            lambda d: text(d, "h1") == "Check your email")
        [(message, recipients)] = messages(service["inbox"], 1)
        assert "worker.signer@example.org" in recipients
        # Nothing the script or the CSP complained of (the browser's own request for /favicon.ico may 404).
        complaints = [entry["message"] for entry in browser.get_log("browser") if "favicon" not in entry["message"]]
        assert complaints == [], complaints
    finally:
        stop()
