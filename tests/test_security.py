"""Security: headers, login lockout, escaping of hostile content, hostile requests, data safety."""

import json
import re
from datetime import timedelta
from io import StringIO
from urllib.parse import unquote

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from modeltranslation.translator import translator

from highlights import languages
from highlights.models import Award, Figure, Initiative, Keyword, Photo, Review
from highlights.roles import EDITOR
from tests.admin_forms import change_form_data, keyword_form_url
from tests.content import snapshot

pytestmark = pytest.mark.long

PUBLIC_PAGES = [
    "/",
    "/reviews/",
    "/2023/",
    "/2023/figures/",
    "/2023/keywords/thematic-education/",
    "/2023/keywords/thematic-education/four-ways-of-learning/",
    "/awards/",
    "/search/?q=%E7%94%9F%E5%A2%83",
]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_security_headers_on_every_public_page(client, review_2023, settings, prefix, path):
    """CSP without unsafe-inline/eval, HSTS, nosniff, referrer, permissions and frame policies."""
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = False
    for attempt in ("fresh", "cached"):
        response = client.get(prefix + path, secure=True)
        assert response.status_code == 200, attempt
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert response["Strict-Transport-Security"].startswith("max-age=31536000")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, review_2023):
    """Nothing on the public pages needs unsafe-inline: no inline scripts, styles or handlers."""
    for path in PUBLIC_PAGES:
        html = client.get(path).text
        scripts = re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>", html)
        assert not scripts, path
        assert " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path


def login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    with translation.override("en"):
        url = reverse("admin:login")
    return client.post(
        url, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


@pytest.fixture
def staff(db):
    for name in ("wang", "li"):
        User.objects.create_user(name, password="correct-horse-battery-staple", is_staff=True)


def test_csv_cells_cannot_run_as_formulas(client, review_2023):
    """Spreadsheet formulas in content come out as inert text in the CSV."""
    Figure.objects.filter(position=1).update(label_zh_hans='=HYPERLINK("http://evil","x")')
    csv_text = client.get("/2023/figures.csv").content.decode()
    assert '"\'=HYPERLINK(""http://evil"",""x"")"' in csv_text
    assert ",=HYPERLINK" not in csv_text


def test_lockout_after_repeated_failures(staff, settings):
    """Five wrong passwords lock that user from that address; the right one is then refused."""
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "wang", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text
    locked = login(client, "wang", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    refused = login(client, "wang", "correct-horse-battery-staple")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_spares_other_users_and_ends_after_cool_off(staff, settings):
    """Another user logs in fine; after the cool-off the locked user can too."""
    import time_machine

    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "wang", "wrong")
    other = Client()
    assert login(other, "li", "correct-horse-battery-staple").status_code == 302
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timezone.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert login(Client(), "wang", "correct-horse-battery-staple").status_code == 302


def login_through_proxy(client: Client, username: str, password: str, forwarded: str):
    """A login as the documented nginx passes it on: from 127.0.0.1, the client's address
    appended to X-Forwarded-For."""
    with translation.override("en"):
        url = reverse("admin:login")
    return client.post(
        url,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_the_attackers_address_is_locked_not_everyones(staff, settings):
    """Five wrong passwords for wang through nginx lock wang at the attacker's address, however
    the attacker fills X-Forwarded-For; wang logs in from another address."""
    settings.TRUSTED_PROXIES = 1
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_through_proxy(attacker, "wang", "wrong", "203.0.113.9")
    right = "correct-horse-battery-staple"
    assert login_through_proxy(attacker, "wang", right, "203.0.113.9").status_code == 429
    forged = login_through_proxy(Client(), "wang", right, "198.51.100.7, 203.0.113.9")
    assert forged.status_code == 429
    assert login_through_proxy(Client(), "wang", right, "198.51.100.7").status_code == 302


def test_one_address_trying_many_usernames_is_locked(staff, settings):
    """A few guesses at each of many accounts from one address: once the address has failed
    AXES_ADDRESS_FAILURE_LIMIT times, it is locked for every username; others are not."""
    settings.TRUSTED_PROXIES = 1
    attacker = Client()
    per_name = settings.AXES_FAILURE_LIMIT - 1
    names = range(settings.AXES_ADDRESS_FAILURE_LIMIT // per_name + 1)
    for number in names:
        for _ in range(per_name):
            login_through_proxy(attacker, f"guess{number}", "wrong", "203.0.113.9")
    right = "correct-horse-battery-staple"
    assert login_through_proxy(Client(), "li", right, "203.0.113.9").status_code == 429
    assert login_through_proxy(Client(), "li", right, "198.51.100.7").status_code == 302


def test_publishers_see_and_lift_lockouts(staff, settings, publisher_client, editor_client):
    """The lockout list is in the admin for publishers (not editors); deleting the entry lets
    the locked user in again before the cool-off ends."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "wang", "wrong")
    listing = publisher_client.get("/en/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "wang" in listing.text
    assert editor_client.get("/en/admin/axes/accessattempt/").status_code == 403
    attempt = AccessAttempt.objects.get(username="wang")
    delete = f"/en/admin/axes/accessattempt/{attempt.pk}/delete/"
    assert publisher_client.post(delete, {"post": "yes"}).status_code == 302
    assert login(Client(), "wang", "correct-horse-battery-staple").status_code == 302


def test_weak_staff_passwords_are_refused(make_staff):
    """Django's validators refuse short, common, all-digit and username-like passwords."""
    user = make_staff(EDITOR)
    for weak in ("abc", "password123", "83749261058", "editor1234"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("correct-horse-battery-staple", user)


def test_staff_sessions_end_after_eight_hours_and_with_the_browser(editor_client):
    """The session cookie dies with the browser; after eight hours the admin asks to log in."""
    response = editor_client.get("/admin/")
    assert response.status_code == 200
    assert editor_client.session.get_expire_at_browser_close()
    later = timezone.now() + timedelta(hours=8, minutes=1)
    with time_machine.travel(later, tick=False):
        expired = editor_client.get("/admin/")
    assert expired.status_code == 302
    assert expired["Location"].startswith("/admin/login/")


XSS = [
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "<b>broken <i>html</b><svg onload=alert(1)>",
]


def poison_every_text_field(payload: str) -> None:
    """Put the payload into every translated text field, every language, of every row."""
    for model in (Review, Keyword, Initiative, Figure, Award, Photo):
        fields = translator.get_options_for_model(model).fields
        columns = languages.columns(field for field in fields if field != "unit")
        for obj in model.objects.all():
            for column in columns:
                max_length = model._meta.get_field(column).max_length
                setattr(obj, column, payload[:max_length] if max_length else payload)
            obj.save()


@pytest.mark.parametrize("payload", XSS)
def test_hostile_content_is_escaped_everywhere(client, review_2023, payload):
    """No page, feed, export or API answer carries the payload as live markup."""
    poison_every_text_field(payload)
    urls = [
        *PUBLIC_PAGES,
        *(f"/en{path}" for path in PUBLIC_PAGES),
        "/search/?q=alert",
        "/feed/",
        "/en/feed/atom/",
        "/2023/figures.json",
        "/api/keywords/",
        "/api/initiatives/?lang=en",
        "/api/awards/",
        "/api/figures/",
        "/api/reviews/",
        "/sitemap.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for dangerous in (
            "<script>alert",
            "<img src=x",
            "<svg onload",
            'href="javascript:',
            "<b>broken",
        ):
            assert dangerous not in body, (url, dangerous)
    page = client.get("/2023/keywords/thematic-education/").text
    if "<" in payload:
        assert "&lt;" in page
    api = json.loads(client.get("/api/keywords/").content)
    assert api["results"][0]["title"] == payload[:100]


BAD_REQUESTS = [
    ("GET", "/awards/?page=abc", 404),
    ("GET", "/awards/?page=-1", 404),
    ("GET", "/awards/?page=999999", 404),
    ("GET", "/search/?q=%E7%94%9F&page=abc", 200),
    ("GET", "/search/?q=%E7%94%9F&page=-1", 200),
    ("GET", "/search/?q=%E7%94%9F&page=999999", 200),
    ("GET", "/search/?q=" + "x" * 10_000, 200),
    ("GET", "/search/?q=%00%00", 200),
    ("GET", "/search/?q=%ff%fe", 200),
    ("GET", "/%ff%fe/", 404),
    ("GET", "/2023/keywords/%00/", 404),
    ("GET", "/fr/2023/", 404),
    ("GET", "/xx-yy/", 404),
    ("GET", "/9999/", 404),
    ("GET", "/2023/keywords/no-such-keyword/", 404),
    ("GET", "/99999999999999999999/", 404),
    ("GET", "/api/keywords/?review=2023abc", 400),
    ("GET", "/api/keywords/?review=²", 400),
    ("GET", "/api/initiatives/?review=¹", 400),
    ("GET", "/api/figures/?review=①", 400),
    ("GET", "/api/awards/?review=２０２３", 400),
    ("GET", "/api/keywords/?page=abc", 404),
    ("GET", "/api/keywords/999999999/", 404),
    ("HEAD", "/", 200),
    ("HEAD", "/2023/keywords/thematic-education/", 200),
    ("OPTIONS", "/", 200),
    ("OPTIONS", "/awards/", 200),
    ("POST", "/", 405),
    ("POST", "/2023/keywords/thematic-education/", 405),
    ("POST", "/search/?q=x", 405),
    ("POST", "/feed/", 405),
    ("POST", "/sitemap.xml", 405),
    ("PUT", "/awards/", 405),
    ("DELETE", "/2023/", 405),
    ("POST", "/api/keywords/", 405),
]


@pytest.mark.parametrize(
    ("method", "url", "expected"), BAD_REQUESTS, ids=[f"{m} {u[:40]}" for m, u, _ in BAD_REQUESTS]
)
def test_hostile_requests_get_a_clear_answer(review_2023, method, url, expected):
    """Malformed and hostile requests get their one clear answer (4xx or a normal page)."""
    client = Client(raise_request_exception=False)
    response = client.generic(method, url)
    assert response.status_code == expected


URL_TEMPLATES = [
    "/{year}/",
    "/{year}/figures/",
    "/{year}/keywords/{slug}/",
    "/{year}/keywords/{slug}/{slug2}/",
    "/{prefix}/",
    "/search/",
    "/awards/",
    "/feed/",
    "/api/keywords/",
    "/api/reviews/{year}/",
]
# Every character but a lone surrogate, which no request can carry. Leaving out category Cs alone
# says so: codec="utf-8" would say it too, but costs a scan of all of Unicode on every run.
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)


@hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    template=st.sampled_from(URL_TEMPLATES),
    year=st.one_of(st.integers(min_value=-5, max_value=10**12).map(str), text),
    slug=text,
    slug2=text,
    prefix=st.sampled_from(["en", "fr", "zh-hans", "", "%ff", "api"]),
    params=st.dictionaries(
        st.sampled_from(["q", "page", "level", "year", "lang", "review", "x"]), text, max_size=3
    ),
    method=st.sampled_from(["GET", "HEAD", "OPTIONS", "POST"]),
    language=st.sampled_from(["", "/en"]),
)
def test_fuzzed_requests_never_fail(
    review_2023, template, year, slug, slug2, prefix, params, method, language
):
    """Generated requests against every public URL pattern never get a 5xx."""
    from urllib.parse import quote, urlencode

    path = template.format(
        year=quote(year, safe=""),
        slug=quote(slug, safe=""),
        slug2=quote(slug2, safe=""),
        prefix=prefix,
    )
    url = f"{language}{path}?{urlencode(params)}" if params else f"{language}{path}"
    client = Client(raise_request_exception=False)
    response = client.generic(method, url)
    assert response.status_code < 500, url


def test_failed_admin_save_leaves_nothing_half_written(publisher_client, review_2023, monkeypatch):
    """When saving an inline fails midway, the keyword and its other rows are unchanged."""
    keyword = review_2023.keywords.get(position=2)
    url = keyword_form_url(keyword.pk)
    data = change_form_data(publisher_client, url) | {
        "tagline_en": "Changed",
        "figures-0-value": "12.5",
        "figures-1-value": "20.5",
    }
    original_save = Figure.save

    def failing_save(self, *args, **kwargs):
        if self.position == 2:
            raise RuntimeError("disk full")
        original_save(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "save", failing_save)
    publisher_client.raise_request_exception = False
    response = publisher_client.post(url, data)
    assert response.status_code == 500
    keyword.refresh_from_db()
    assert keyword.tagline_en == "Moving in Step"
    assert sorted(str(v) for v in keyword.figures.values_list("value", flat=True)) == [
        "11.89",
        "19.90",
    ]


def test_deleting_a_review_needs_a_publisher_and_shows_what_goes(
    editor_client, publisher_client, review_2023
):
    """Editors cannot delete a review; publishers see every dependent object first."""
    with translation.override("en"):
        url = reverse("admin:highlights_review_delete", args=[review_2023.pk])
    assert editor_client.get(url).status_code == 403
    confirm = publisher_client.get(url)
    assert confirm.status_code == 200
    assert "Thematic Education" in confirm.text
    assert "Four-Way Learning Mechanism" in confirm.text
    assert "Liu’er Residents’ Area" in confirm.text


def test_dumpdata_loaddata_round_trip(review_2023, tmp_path):
    """The whole site dumps and loads back with every field of every row intact."""
    before = snapshot()
    dump = tmp_path / "site.json"
    call_command(
        "dumpdata",
        "highlights",
        "auth",
        "--natural-foreign",
        "--natural-primary",
        "--output",
        str(dump),
        stdout=StringIO(),
    )
    Review.objects.all().delete()
    assert not Keyword.objects.exists()
    call_command("loaddata", str(dump), verbosity=0)
    assert snapshot() == before
    assert Keyword.objects.get(slug="thematic-education").body_en.startswith("We carried out")


@pytest.mark.parametrize("path", ["//evil.com/", "/%5Cevil.com/", "/%2F%2Fevil.com/"])
def test_paths_cannot_point_links_at_another_site(client, review_2023, path):
    """On a 404 for //evil.com/, the language and hreflang links stay on this site."""
    # The test client would read //evil.com/ as a host: give the server the raw path.
    response = client.get("/", PATH_INFO=unquote(path) if "%5C" in path else path)
    assert response.status_code == 404
    assert "evil.com/en/" not in response.text.replace("testserver/", "")
    assert 'href="//' not in response.text
    assert "http://evil.com" not in response.text


def test_many_query_parameters_are_too_large_in_debug(review_2023, settings):
    """2,000 parameters are a 413 on any page, never a 500, even with the debug page on."""
    settings.DEBUG = True
    query = "&".join(f"p{number}=1" for number in range(2_000))
    client = Client(raise_request_exception=False)
    for url in (f"/?{query}", f"/search/?q=x&{query}", f"/en/awards/?{query}"):
        assert client.get(url).status_code == 413


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/", "没有保存任何内容"),
        ("/en/", "Nothing was saved"),
        ("/admin/login/", "没有保存任何内容"),
        ("/en/admin/login/", "Nothing was saved"),
    ],
)
def test_a_three_megabyte_body_is_a_413_page_on_any_url(review_2023, url, said):
    """Before sessions and authentication run: the page still renders, in the path's language,
    and says what to do."""
    client = Client(raise_request_exception=False)
    response = client.post(url, {"text": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert said in response.text


def test_a_refused_next_lands_on_the_admin_index(client, make_staff):
    """Logging in with ?next= pointing elsewhere lands on the admin, not a 404."""
    user = make_staff(EDITOR)
    user.set_password("correct-horse-battery-staple")
    user.save()
    response = client.post(
        "/admin/login/?next=//evil.com/",
        {"username": "editor", "password": "correct-horse-battery-staple", "next": "//evil.com/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_api_answers_vary_by_cookie_and_language(client, review_2023):
    """Without ?lang=, the API's language may come from the cookie: caches must know."""
    vary = {part.strip() for part in client.get("/api/keywords/")["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
