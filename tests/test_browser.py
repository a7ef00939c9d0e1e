"""The HTML pages in a real browser: headless Chromium through Selenium and chromedriver.

Needs the Debian packages ``chromium`` and ``chromium-driver`` and the Python
package ``selenium``; skipped with the reason when any is missing. Screenshots
go to pytest's ``tmp_path`` and, when ``FRAMING_SCREENSHOT_DIR`` is set, there
too (``FRAMING_SCREENSHOT_DIR=docs pytest tests/test_browser.py`` refreshes
``docs/compare.png``, the README's picture).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

import framing
from framing.report import _html
from framing.report._profile import build_profile

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "labeled" / "articles").glob("*.txt"))
CHROMEDRIVER = os.environ.get("CHROMEDRIVER") or (
    "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else shutil.which("chromedriver"))
CHROMIUM = os.environ.get("CHROMIUM") or next(
    (found for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
     for found in [shutil.which(name)] if found), None)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars")


def _missing() -> str:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    if not CHROMIUM:
        return "chromium is not installed (Debian: apt-get install chromium chromium-driver)"
    if not CHROMEDRIVER or not os.path.exists(CHROMEDRIVER):
        return "chromedriver is not installed (Debian: apt-get install chromium-driver)"
    return ""


if _missing():
    if os.environ.get("FRAMING_REQUIRE_BROWSER"):
        # CI installs the browser: there, a missing one is a failure, not a skip.
        raise RuntimeError(f"FRAMING_REQUIRE_BROWSER is set but {_missing()}")
    pytest.skip(_missing(), allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="framing-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,1500")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def model():
    return framing.load()


def save_screenshot(driver, tmp_path: Path, name: str, publish: bool = True) -> Path:
    path = tmp_path / name
    assert driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    folder = os.environ.get("FRAMING_SCREENSHOT_DIR")
    if folder and publish:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(folder) / name)
    return path


def first_sentence_with(record, cue_type):
    for sentence in record["sentences"]:
        if any(c["type"] == cue_type for c in _html._choose_cues(sentence["cues"], len(sentence["text"]))):
            return sentence
    raise AssertionError(f"no {cue_type} cue in the article")


def test_score_page_highlights_and_tooltips(browser, model, tmp_path):
    path = SEEDS[0]
    text = path.read_text(encoding="utf-8")
    record = model.score(text).to_dict()
    page = tmp_path / "score.html"
    page.write_text(_html.score_page([(path.stem, text, record)]), encoding="utf-8")
    browser.set_window_size(1280, 1100)
    browser.get(page.as_uri())

    colours = {}
    for cue_type in ("loaded", "hedge"):
        sentence = first_sentence_with(record, cue_type)
        mark = browser.find_element(By.CSS_SELECTOR, f"#a0-s{sentence['index']} mark.cue-{cue_type}")
        assert mark.is_displayed()
        assert mark.size["width"] > 0 and mark.size["height"] > 0
        expected = [sentence["text"][c["start"]:c["end"]] for c in sentence["cues"] if c["type"] == cue_type]
        assert mark.text in expected
        colours[cue_type] = mark.value_of_css_property("background-color")
    assert colours["loaded"] != colours["hedge"]

    # Keyboard: Tab passes the Frames section's sentence links, then reaches the first sentence and shows its panel.
    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(40):
        body.send_keys(Keys.TAB) if _ == 0 else browser.switch_to.active_element.send_keys(Keys.TAB)
        active = browser.switch_to.active_element
        if "s" in (active.get_attribute("class") or "").split():
            break
    assert "s" in active.get_attribute("class").split()
    tip = browser.find_element(By.ID, active.get_attribute("aria-describedby"))
    assert tip.is_displayed() and tip.size["height"] > 0
    frame_tasks = {t for spec in record["frames"].values() for t in (f["task"] for f in spec["frames"])}
    for task in record["tasks"]:
        if task not in frame_tasks:  # the frames share one row of the panel, by frame name
            assert task in tip.text

    # Hover: another sentence's panel shows.
    sentence = first_sentence_with(record, "loaded")
    element = browser.find_element(By.ID, f"a0-s{sentence['index']}")
    browser.execute_script("document.activeElement.blur(); arguments[0].scrollIntoView({block: 'center'});", element)
    ActionChains(browser).move_to_element(element).perform()
    tip = browser.find_element(By.ID, f"a0-t{sentence['index']}")
    assert tip.is_displayed()

    # Nothing was fetched from anywhere: the page is self-contained.
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources == []
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart")
    assert chart.size["width"] > 100 and chart.size["height"] > 50
    save_screenshot(browser, tmp_path, "score.png")


def test_compare_page_of_the_seed_articles(browser, model, tmp_path):
    items = []
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        items.append((path.stem, text, model.score(text).to_dict()))
    outlets = {"000": "bankingnews.gr", "001": "Euromaidan Press"}
    items = [(outlets.get(label[:3], label), text, record) for label, text, record in items]
    page = tmp_path / "compare.html"
    page.write_text(_html.compare_page(items, title="Five articles on the 30 November 2025 US–Ukraine talks"),
                    encoding="utf-8")
    browser.set_window_size(1280, 1500)
    browser.get(page.as_uri())
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 1 + len(items)
    assert charts[0].size["width"] > 400 and charts[0].size["height"] > 100
    assert browser.find_elements(By.CSS_SELECTOR, "mark.cue-loaded")
    body = browser.find_element(By.TAG_NAME, "body").text
    for label, _, _ in items:
        assert label in body
    # Frame the picture from the title to the end of the evidence cards (the README's docs/compare.png).
    bottom = browser.execute_script("return document.querySelector('.cards').getBoundingClientRect().bottom")
    inner = browser.execute_script("return window.innerHeight")
    browser.set_window_size(1280, 1500 + int(bottom) + 28 - inner)
    save_screenshot(browser, tmp_path, "compare.png")


# ---------------------------------------------------------------------- layout at 1,000-1,600 px

#: Per page: the page's horizontal overflow, the table cells whose content overflows them, and the tables
#: that stick out of their container without a scroll container to reach the rest.
LAYOUT_PROBE = """
const root = document.documentElement;
const cells = [...document.querySelectorAll('td, th')]
  .filter(c => c.scrollWidth > c.clientWidth + 1)
  .map(c => c.textContent.trim().slice(0, 60) + ' (' + c.scrollWidth + ' > ' + c.clientWidth + ')');
const tables = [...document.querySelectorAll('table')].filter(t => {
  const box = t.parentElement;
  if (t.scrollWidth <= box.clientWidth + 1) return false;
  return !(box.classList.contains('scroll') && getComputedStyle(box).overflowX === 'auto');
}).map(t => t.className + ' ' + t.scrollWidth + ' > ' + t.parentElement.clientWidth);
const fits = [...document.querySelectorAll('table')].every(t => t.scrollWidth <= t.parentElement.clientWidth + 1);
return {page: [root.scrollWidth, root.clientWidth, document.body.scrollWidth, document.body.clientWidth],
        cells: cells, tables: tables, fits: fits};
"""


@pytest.fixture(scope="module")
def layout_pages(model, tmp_path_factory):
    """The score, compare and profile pages of the seed articles, as users get them from the bundled model,
    plus a profile with every column (reliability not measured): the widest table the page can have."""
    folder = tmp_path_factory.mktemp("layout")
    items = [(path.stem, path.read_text(encoding="utf-8")) for path in SEEDS]
    records = [{"id": label, **model.score(text).to_dict()} for label, text in items]
    outlets = ["a_tabloid_strike", "bankingnews.gr", "Euromaidan Press", "a_tabloid_strike", "kyivindependent.com"]
    grouped = [dict(record, outlet=outlets[i % len(outlets)]) for i, record in enumerate(records)]
    pages = {
        "score": _html.score_page([(label, text, record) for (label, text), record in zip(items[:2], records)]),
        "compare": _html.compare_page([(outlets[i % len(outlets)] + f"_{i}", text, record)
                                       for i, ((_, text), record) in enumerate(zip(items, records))]),
        "profile": _html.profile_page(build_profile(grouped)),
        "profile-all-columns": _html.profile_page(build_profile([dict(r, reliability={}) for r in grouped])),
    }
    paths = {}
    for name, content in pages.items():
        paths[name] = folder / f"{name}.html"
        paths[name].write_text(content, encoding="utf-8")
    return paths


@pytest.mark.parametrize("width", [1000, 1400, 1600])
@pytest.mark.parametrize("name", ["score", "compare", "profile", "profile-all-columns"])
def test_layout_holds_from_1000_to_1600_px(browser, layout_pages, tmp_path, name, width):
    browser.set_window_size(width, 1200)
    browser.get(layout_pages[name].as_uri())
    probe = browser.execute_script(LAYOUT_PROBE)
    root_scroll, root_client, body_scroll, body_client = probe["page"]
    assert root_scroll <= root_client and body_scroll <= body_client, f"{name} at {width}px scrolls sideways: {probe['page']}"
    assert probe["cells"] == [], f"{name} at {width}px: cell content overflows its cell"
    assert probe["tables"] == [], f"{name} at {width}px: a table is cut off (no scroll container)"
    if name != "profile-all-columns":
        # The pages users get from the bundled model fit whole: nothing to scroll to.
        assert probe["fits"], f"{name} at {width}px: a table needs scrolling"
    save_screenshot(browser, tmp_path, f"layout-{name}-{width}.png", publish=False)


def test_compare_headers_break_only_between_words(browser, layout_pages):
    """At 1,000 px no column header of the numbers table is broken inside a word ("a_tabloid_ / strike" is fine,
    "a_tabl / oid" is not): every line of a header ends at a space or after _ - / or ."""
    browser.set_window_size(1000, 1200)
    browser.get(layout_pages["compare"].as_uri())
    lines = browser.execute_script("""
const out = [];
for (const th of document.querySelectorAll('table.nums.wide thead th')) {
  const text = th.textContent; const range = document.createRange(); let top = null, line = '';
  const node = [...th.childNodes].filter(n => n.nodeType === 3);
  for (const t of node) for (let i = 0; i < t.length; i++) {
    range.setStart(t, i); range.setEnd(t, i + 1);
    const y = Math.round(range.getBoundingClientRect().top);
    if (top !== null && y > top + 2) { out.push(line); line = ''; }
    top = y; line += t.data[i];
  }
  if (line) out.push(line);
  out.push('|');
}
return out;
""")
    headers, current = [], []
    for line in lines:
        if line == "|":
            headers.append(current)
            current = []
        else:
            current.append(line)
    assert any(len(header) > 1 for header in headers) or all(len(header) == 1 for header in headers)
    for header in headers:
        for line in header[:-1]:
            assert line[-1:] in ("_", "-", "/", ".", " "), f"header broken inside a word: {header}"
