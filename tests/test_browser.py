"""A resident's path through the site in headless Chromium, at two widths (screenshots kept when
SCREENSHOT_DIR is set)."""

import io
import os
import shutil
import time
from pathlib import Path

import pytest

from highlights.demo import install_demo_media
from highlights.images import RENDITIONS_DIR
from tests.conftest import sqlite_pass_only
from tests.outside_tools import unavailable
from tests.servers import production_server

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.long]


def browser_missing() -> str | None:
    if not shutil.which(CHROMIUM):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make install)"
    return None


@pytest.fixture(scope="module")
def browser():
    if reason := browser_missing():
        unavailable(reason, "REQUIRE_BROWSER")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to run.
    # Allowed for these tests only: the variable is restored when the module ends.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield browser
            browser.close()


@pytest.fixture(scope="module")
def screenshots() -> Path | None:
    """Screenshots are for people to look at: taken only when SCREENSHOT_DIR names a folder to
    keep them in (a full-page shot of each step is a good part of this module's time)."""
    if kept := os.environ.get("SCREENSHOT_DIR"):
        Path(kept).mkdir(parents=True, exist_ok=True)
        return Path(kept)
    return None


@pytest.fixture(scope="module")
def made_renditions(tmp_path_factory) -> Path:
    """The renditions the module's first test made. Their names carry their source's digest,
    so the next tests copy them in and make none (encoding them took a second a test)."""
    return tmp_path_factory.mktemp("renditions")


@pytest.fixture
def site(transactional_db, live_server, settings, made_renditions) -> str:
    # Two sizes are enough for a phone and a desktop, and quicker to make than the full set.
    settings.IMAGE_RENDITION_WIDTHS = (480, 960)
    renditions = Path(settings.MEDIA_ROOT) / RENDITIONS_DIR
    shutil.copytree(made_renditions, renditions, dirs_exist_ok=True)
    install_demo_media()
    shutil.copytree(renditions, made_renditions, dirs_exist_ok=True)
    # The site's address is the live server's, as SITE_URL is the real site's.
    settings.SITE_URL = live_server.url
    return live_server.url


def shoot(page, folder: Path | None, name: str) -> None:
    if folder is None:
        return
    # Lazy images below the fold are loaded before the full-page shot; waiting for the images
    # themselves is quicker than waiting for the network to go quiet.
    page.evaluate(
        """Promise.all([...document.images].map(image => {
             image.loading = "eager";
             return image.decode().catch(() => null);
           }))"""
    )
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def search_hint_fits(page) -> bool:
    """The header search box's placeholder is shown whole, not cut off."""
    return page.evaluate(
        """(() => {
             const box = document.getElementById("site-search-q"), style = getComputedStyle(box);
             const text = document.createElement("canvas").getContext("2d");
             text.font = style.font;
             const room = box.clientWidth - parseFloat(style.paddingLeft)
               - parseFloat(style.paddingRight);
             return text.measureText(box.placeholder).width <= room;
           })()"""
    )


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def no_inline_wider_than_its_box(page) -> bool:
    """No inline group's content (a table of many columns, say) runs past its own box."""
    return page.evaluate(
        "Array.from(document.querySelectorAll('.inline-group'))"
        ".every(group => group.scrollWidth <= group.clientWidth + 1)"
    )


def test_resident_reads_switches_language_and_searches(browser, site, screenshots):
    """On a phone and on a desktop: home → keyword card → English → Chinese → search."""
    for device, viewport in {"phone": PHONE, "desktop": DESKTOP}.items():
        walk_through(browser, site, screenshots, device, viewport)


def walk_through(browser, site: str, screenshots: Path | None, device: str, viewport: dict) -> None:
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "记忆·新泾"
    assert no_horizontal_scroll(page)
    assert page.evaluate(
        "[...document.images].every(img => img.alt !== undefined && img.width > 0)"
    )
    if device == "desktop":
        assert search_hint_fits(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    shoot(page, screenshots, f"home-{device}")

    page.get_by_role("link", name="主题教育").first.click()
    page.wait_for_url("**/2023/keywords/thematic-education/")
    assert page.locator("h1").inner_text() == "主题教育"
    assert "7000余" in page.locator(".tiles").inner_text()
    assert no_horizontal_scroll(page)
    shoot(page, screenshots, f"keyword-{device}")

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/2023/keywords/thematic-education/")
    assert page.locator("h1").inner_text() == "Thematic Education Campaign"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "7,000+" in page.locator(".tiles").inner_text()
    if device == "desktop":
        assert search_hint_fits(page)
    shoot(page, screenshots, f"keyword-en-{device}")

    page.get_by_role("link", name="中文").click()
    page.wait_for_url("**/2023/keywords/thematic-education/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"

    page.get_by_role("searchbox").first.fill("生境")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".results").all_inner_texts()
    assert any("社区级生境博物馆" in text for text in results)
    assert page.locator("mark").count() > 0
    assert no_horizontal_scroll(page)
    shoot(page, screenshots, f"search-{device}")

    page.goto(site + "/2023/figures/")
    assert page.locator("figure.chart").count() == 1
    assert no_horizontal_scroll(page)
    shoot(page, screenshots, f"figures-{device}")
    page.close()


def log_in(browser, site: str, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="en")
    page = context.new_page()
    page.goto(f"{site}/en/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{site}/en/admin/")
    return context, page


def set_field(page, field_id: str, value: str) -> None:
    # The English tab's fields are hidden until it is chosen; a person would click it first.
    page.evaluate(
        "([id, value]) => { document.getElementById(id).value = value; }", [field_id, value]
    )


def test_two_staff_edit_the_same_keyword(browser, site, screenshots):
    """Two editors open a published keyword in two browsers. Different fields: both saves are
    kept. The same field: the second sees both values side by side, with who and when, and
    what they choose is kept; nothing either typed is lost."""
    from django.contrib.auth.models import Group, User

    from highlights import revisions
    from highlights.models import Keyword
    from highlights.roles import EDITOR

    for name in ("anna", "bo"):
        user = User.objects.create_user(username=name, password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=EDITOR))
    keyword = Keyword.objects.get(review__year=2023, position=2)
    url = f"{site}/en/admin/highlights/keyword/{keyword.pk}/change/"
    anna_context, anna = log_in(browser, site, "anna", DESKTOP)
    bo_context, bo = log_in(browser, site, "bo", PHONE)
    anna.goto(url)
    bo.goto(url)
    assert "anna" in bo.inner_text(".unit-others")
    shoot(anna, screenshots, "admin-keyword-desktop")
    for page in (anna, bo):
        assert no_horizontal_scroll(page)
        assert no_inline_wider_than_its_box(page)
        tabs = page.inner_text(".ui-tabs-nav")
        assert "中文" in tabs
        assert "English" in tabs
        assert "ZH-HANS" not in tabs
    shoot(bo, screenshots, "admin-keyword-phone")

    set_field(anna, "id_summary_en", "Anna's summary")
    anna.click("input[name=_continue]")
    assert "Saved as pending changes" in anna.inner_text(".messagelist")
    set_field(bo, "id_tagline_en", "Bo's tagline")
    bo.click("input[name=_continue]")
    assert "Saved as pending changes" in bo.inner_text(".messagelist")
    pending = revisions.latest_revision(Keyword.objects.get(pk=keyword.pk)).data
    assert "Anna's summary" in pending
    assert "Bo's tagline" in pending

    set_field(anna, "id_summary_en", "Anna's second summary")
    set_field(bo, "id_summary_en", "Bo's summary")
    anna.click("input[name=_continue]")
    bo.click("input[name=_continue]")
    assert "/merge/" in bo.url
    choice = bo.inner_text("#content-main")
    assert "Anna's second summary" in choice
    assert "Bo's summary" in choice
    assert "Theirs (anna," in choice
    shoot(bo, screenshots, "admin-keyword-choose-phone")
    bo.check("input[value=yours]")
    bo.click("input[type=submit].default")
    assert "Saved as pending changes" in bo.inner_text(".messagelist")
    pending = revisions.latest_revision(Keyword.objects.get(pk=keyword.pk)).data
    assert "Bo's summary" in pending
    assert "Bo's tagline" in pending
    assert Keyword.objects.get(pk=keyword.pk).summary_en != "Bo's summary"
    # The unit's own pages on a phone zoomed to 200% (a 195 px wide layout): nothing sideways.
    bo.set_viewport_size({"width": 195, "height": 422})
    for own_page in ("history", "changes"):
        bo.goto(f"{site}/en/admin/highlights/keyword/{keyword.pk}/{own_page}/")
        assert no_horizontal_scroll(bo), own_page
    bo.goto(url)
    assert no_horizontal_scroll(bo)
    for page, name in ((anna, "anna"), (bo, "bo")):
        leave_the_form(page, site, name)
    anna_context.close()
    bo_context.close()


def leave_the_form(page, site: str, username: str) -> None:
    """Leave an admin form and wait for its goodbye (presence.js) to be handled, so that no
    request is still running when the test's database is emptied."""
    from highlights.models import OpenForm

    page.goto(f"{site}/en/admin/")
    for _ in range(50):
        if not OpenForm.objects.filter(user__username=username).exists():
            return
        time.sleep(0.1)


def test_no_page_scrolls_sideways_at_200_percent_zoom(browser, site, review_2023):
    """Every page type in both languages, on a 390 px phone zoomed to 200% (a 195 px wide
    layout), in the standard mode; links and controls standing on their own are at least
    44 px tall."""
    context = browser.new_context(viewport={"width": 195, "height": 422}, device_scale_factor=2)
    page = context.new_page()
    for where, url in zoomed_pages(site, review_2023):
        page.goto(url)
        assert no_horizontal_scroll(page), where
        assert targets_smaller_than(page, 44, STANDALONE_TARGETS) == [], where
    context.close()


STANDALONE_TARGETS = (
    ".site-nav a, .breadcrumbs a, .site-footer a, .downloads a, .section-head a, "
    ".initiative-list a, .result a, button, select, input[type=search]"
)


def targets_smaller_than(page, pixels: int, selector: str) -> list[str]:
    return page.evaluate(
        """([pixels, selector]) => [...document.querySelectorAll(selector)].filter(e => {
             const r = e.getBoundingClientRect();
             return r.width > 0 && (r.height < pixels || r.width < pixels);
           }).map(e => e.textContent.trim().slice(0, 20))""",
        [pixels, selector],
    )


def zoomed_pages(site: str, review) -> list[tuple[str, str]]:
    from django.utils import translation

    from tests.pages import page_urls

    with translation.override("zh-hans"):
        # A Latin term marks words inside long English titles, which must still wrap.
        paths = {**page_urls(review), "search (Latin term)": "/search/?q=park"}
    return [
        (f"{language or 'zh'} {name}", site + language + path)
        for language in ["", "/en"]
        for name, path in paths.items()
    ]


def test_elder_mode_reads_large_at_200_percent_zoom(browser, site, screenshots, review_2023):
    """Elder mode on every page type in both languages, on a 390 px phone zoomed to 200%: no
    sideways scrolling, text at least 24 px (18 pt), targets at least 60 × 60 px. It is
    switched on with the header link and stays on from page to page."""
    context = browser.new_context(viewport={"width": 195, "height": 422}, device_scale_factor=2)
    page = context.new_page()
    page.goto(site + "/")
    page.get_by_role("link", name="关怀版").click()
    assert page.evaluate("document.documentElement.className") == "care"
    for where, url in zoomed_pages(site, review_2023):
        page.goto(url)
        assert page.evaluate("document.documentElement.className") == "care", where
        assert no_horizontal_scroll(page), where
        small_text = page.evaluate(
            """[...document.querySelectorAll('main *, footer *')].filter(e =>
                 [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
                 && parseFloat(getComputedStyle(e).fontSize) < 24).length"""
        )
        assert small_text == 0, where
        elder_targets = ".site-nav a, .breadcrumbs a, .site-footer a, button, input[type=search]"
        assert targets_smaller_than(page, 60, elder_targets) == [], where
        if where.endswith("keyword"):
            shoot(page, screenshots, f"elder-{where.replace(' ', '-').replace('/', '')}-200pct")
    page.get_by_role("link", name="Standard mode").click()
    assert page.evaluate("document.documentElement.className") == ""
    context.close()


def test_the_qr_code_decodes_to_the_page(browser, site, review_2023):
    """What a phone camera reads from the code on the screen, and that print keeps it."""
    import zxingcpp
    from PIL import Image

    page = browser.new_page(viewport=DESKTOP)
    path = "/en/2023/keywords/thematic-education/"
    page.goto(site + path)
    shot = page.locator(".page-qr svg").screenshot()
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert code.text == site + path
    page.set_viewport_size(PHONE)
    assert not page.locator(".page-qr").is_visible()  # no use scanning the phone itself
    page.emulate_media(media="print")
    assert page.locator(".page-qr").is_visible()
    page.close()


def test_a_printed_page_says_where_it_lives(browser, site, review_2023):
    """On paper: the page's address and the hotline, no navigation, no download links, and an
    initiative never split across two sheets."""
    page = browser.new_page(viewport={"width": 700, "height": 1000})
    page.emulate_media(media="print")
    page.goto(site + "/2023/figures/")
    assert page.locator(".print-address").inner_text() == f"本页地址：{site}/2023/figures/"
    assert page.locator(".site-footer a[href^='tel:']").is_visible()
    for hidden in [".site-nav", ".downloads", ".footer-links"]:
        assert not page.locator(hidden).is_visible(), hidden
    page.goto(site + "/2023/keywords/thematic-education/")
    breaks = page.evaluate(
        "getComputedStyle(document.querySelector('.initiative-list li')).breakInside"
    )
    assert breaks == "avoid"
    page.emulate_media(media="screen")
    assert not page.locator(".print-address").is_visible()
    page.close()


def test_the_api_reference_renders_under_our_csp(browser, site):
    page = browser.new_page(viewport=PHONE)
    problems = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("response", lambda response: response.status >= 400 and problems.append(response.url))
    page.goto(site + "/api/docs/")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() == 18  # list and detail of nine resources
    assert no_horizontal_scroll(page)
    assert problems == []
    page.close()


DEMO_MEDIA = "from highlights.demo import install_demo_media; install_demo_media()"
STAFF_ON_THE_SERVER = (
    "from django.contrib.auth.models import Group, User; "
    "editors = Group.objects.get(name='Editor'); "
    "[User.objects.create_user(name, password='pw', is_staff=True).groups.add(editors) "
    "for name in ('anna', 'bo')]"
)


@sqlite_pass_only
def test_two_staff_on_a_server_with_two_workers(browser, tmp_path, screenshots):
    """As the town office runs it (gunicorn, two workers): each sees the other on every load,
    whichever worker answers; one who leaves the form is gone at once; two saves of different
    fields are both kept; a field both changed is chosen side by side."""
    setup = (["shell", "-c", STAFF_ON_THE_SERVER], ["shell", "-c", DEMO_MEDIA])
    with production_server(tmp_path, *setup) as port:
        site = f"http://127.0.0.1:{port}"
        url = f"{site}/en/admin/highlights/keyword/2/change/"
        anna_context, anna = log_in(browser, site, "anna", DESKTOP)
        bo_context, bo = log_in(browser, site, "bo", PHONE)
        anna.goto(url)
        for _load in range(6):
            bo.goto(url)
            assert "anna" in bo.inner_text(".unit-others")
        anna.reload()
        assert "bo" in anna.inner_text(".unit-others")

        set_field(anna, "id_summary_en", "Anna's summary")
        set_field(bo, "id_tagline_en", "Bo's tagline")
        anna.click("input[name=_continue]")
        bo.click("input[name=_continue]")
        assert "Saved as pending changes" in bo.inner_text(".messagelist")
        assert bo.input_value("#id_summary_en") == "Anna's summary"
        assert bo.input_value("#id_tagline_en") == "Bo's tagline"

        anna.reload()
        set_field(anna, "id_title_en", "Anna's title")
        set_field(bo, "id_title_en", "Bo's title")
        anna.click("input[name=_continue]")
        bo.click("input[name=_continue]")
        assert "/merge/" in bo.url
        assert "Anna's title" in bo.inner_text("#content-main")
        shoot(bo, screenshots, "admin-keyword-choose-two-workers-phone")
        bo.check("input[value=theirs]")
        bo.click("input[type=submit].default")
        assert bo.input_value("#id_title_en") == "Anna's title"
        assert bo.input_value("#id_tagline_en") == "Bo's tagline"

        anna.goto(f"{site}/en/admin/")  # leaving the form says goodbye (presence.js)
        # The goodbye is a beacon, sent as the page goes and answered by either worker while
        # Anna's next page loads: Bo's next load may come first, so he looks a few times.
        for _look in range(10):
            bo.goto(url)
            if bo.query_selector(".unit-others") is None:
                break
            bo.wait_for_timeout(200)
        assert bo.query_selector(".unit-others") is None
        anna_context.close()
        bo_context.close()
