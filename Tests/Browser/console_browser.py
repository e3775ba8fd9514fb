"""The operations console in a real browser (Chromium through chromedriver, driven by selenium).

Run by scripts/console-browser.sh against `crossdock demo --keep`:

    python console_browser.py CONSOLE_URL CONSOLE_KEY ADMIN_KEY READ_ONLY_KEY SCREENSHOT_DIR

It signs in, searches a PO number the demo created, opens its trace and finds each system's step there (the systems
the hub's own trace API lists), replays a dead letter with the button and sees it delivered, and checks that a
read-only key sees no action buttons. Screenshots of each page go to SCREENSHOT_DIR. Exits non-zero on any failure.
"""

import http.server
import json
import sys
import threading
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

console, console_key, admin_key, read_only_key, shots = sys.argv[1:6]
base = console.removesuffix("/console")


def api(method, path, body=None):
    """Calls the hub's JSON API with the admin key."""
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "Bearer " + admin_key, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def until(what, condition, timeout=90):
    """Waits for `condition()` to hold; fails naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError("timed out waiting for " + what)


class Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook endpoint that refuses (500) until `accepting` is set, then records what it gets."""

    accepting = False
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if Receiver.accepting:
            Receiver.received.append(json.loads(body))
            self.send_response(204)
        else:
            self.send_response(500)
        self.end_headers()

    def log_message(self, *args):
        pass


def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # A loaded machine renders slowly; each page must still arrive.
    driver.set_page_load_timeout(60)
    return driver


def sign_in(driver, key):
    driver.get(console + "/sign-in")
    field = driver.find_element(By.NAME, "key")
    field.send_keys(key)
    field.submit()
    WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form[action='/console/sign-out']")))


def shot(driver, name):
    driver.save_screenshot(f"{shots}/{name}.png")


def page_text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def check_search_and_trace(driver):
    sign_in(driver, console_key)
    assert "Orders received" in page_text(driver), "the overview shows the KPIs"
    shot(driver, "overview")
    driver.find_element(By.LINK_TEXT, "Search").click()
    box = WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.NAME, "q")))
    box.send_keys("PO-COMPLETE")
    box.submit()
    link = WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "a[href^='/console/orders/']")))
    shot(driver, "search")
    order_id = link.get_attribute("href").rsplit("/", 1)[1]
    link.click()
    WebDriverWait(driver, 30).until(expected_conditions.url_contains("/console/orders/" + order_id))
    text = page_text(driver)
    assert "PO-COMPLETE" in text, "the trace names the PO number"
    trace = api("GET", f"/v1/orders/{order_id}/trace")
    systems = {step["system"] for step in trace["steps"]}
    for prefix in ("hub", "warehouse:", "carrier:", "billing"):
        assert any(system.startswith(prefix) for system in systems), f"the trace API lists a {prefix} step"
    cells = {cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "table td")}
    missing = sorted(system for system in systems if system not in cells)
    assert not missing, f"the trace page shows every system's step; missing {missing}"
    kinds = {step["kind"] for step in trace["steps"]}
    assert "order.received" in kinds and len(kinds) >= 5, f"the demo's complete order has a long trace: {kinds}"
    for kind in sorted(kinds):
        assert kind in text, f"the trace page shows the {kind} step"
    shot(driver, "trace")
    # An operator key sees the actions of an order it may change.
    assert driver.find_elements(By.CSS_SELECTOR, f"form[action='/console/orders/{order_id}/replay']"), "the replay action is offered"
    return order_id


def check_dead_letter_replay(driver):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    created = api(
        "POST",
        "/v1/subscriptions",
        {"url": url, "eventTypes": ["warehouse.upserted"], "settings": {"maxAttempts": 1, "retryBaseMs": 10}},
    )
    subscription = created["id"]
    api("PUT", "/v1/warehouses/WH-BROWSER", {"name": "Browser test", "region": "US-NY", "priority": 9})
    dead = until(
        "the refused delivery to be dead-lettered",
        lambda: api("GET", f"/v1/deliveries?status=dead&subscriptionId={subscription}"),
    )
    delivery, event = dead[0]["id"], dead[0]["eventId"]
    driver.get(f"{console}/deliveries?subscription={subscription}")
    shot(driver, "dead-letters")
    Receiver.accepting = True
    button = driver.find_element(By.CSS_SELECTOR, f"form[action='/console/deliveries/{delivery}/replay'] button")
    button.click()
    WebDriverWait(driver, 30).until(expected_conditions.url_contains("/console/deliveries"))
    until("the replayed event to arrive", lambda: any(e.get("id") == event for e in Receiver.received))
    until(
        "the delivery to be delivered",
        lambda: api("GET", f"/v1/deliveries/{delivery}").get("status") == "delivered",
    )
    driver.get(f"{console}/deliveries?subscription={subscription}")
    assert not driver.find_elements(By.CSS_SELECTOR, f"form[action='/console/deliveries/{delivery}/replay']"), "no longer a dead letter"
    shot(driver, "replayed")
    server.shutdown()


def check_read_only(driver, order_id):
    driver.delete_all_cookies()
    sign_in(driver, read_only_key)
    for path in (f"/orders/{order_id}", "/deliveries", "/exceptions", "/subscriptions"):
        driver.get(console + path)
        actions = [f.get_attribute("action") for f in driver.find_elements(By.CSS_SELECTOR, "form[method='post']")]
        actions = [a for a in actions if not a.endswith("/console/sign-out")]
        assert not actions, f"a read-only key sees no action buttons on {path}; found {actions}"
    shot(driver, "read-only-trace")


def main():
    driver = browser()
    try:
        order_id = check_search_and_trace(driver)
        check_dead_letter_replay(driver)
        check_read_only(driver, order_id)
    except Exception:
        shot(driver, "failure")
        print("page at failure:", driver.current_url, file=sys.stderr)
        print(page_text(driver)[:3000], file=sys.stderr)
        raise
    finally:
        driver.quit()
    print("console browser tests passed; screenshots in", shots)


main()
