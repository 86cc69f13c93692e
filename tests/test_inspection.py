"""The site inspects itself: each check at its boundary, the command's exit status and JSON,
and the admin's page and summary."""

import json
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from highlights.inspection import Severity, inspect
from highlights.models import News, Notice, Place, ServiceGuide, SiteIdentity
from highlights.publishing import Status
from tests.admin_forms import admin_url

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The demo's stories are dated at the review's publication.
PUBLISHED = datetime(2024, 2, 1, 9, tzinfo=SHANGHAI)
COMPLETE_GUIDE = {
    "title_zh_hans": "社区食堂用餐登记",
    "basis_zh_hans": "依据",
    "conditions_zh_hans": "条件",
    "materials_zh_hans": "身份证",
    "location_zh_hans": "仙霞路",
    "hours_zh_hans": "工作日",
    "phone": "021-12345678",
}


def checks_at(moment: datetime) -> dict[str, Severity]:
    with time_machine.travel(moment, tick=False):
        return {f.check + ":" + str(f.data.get("column", "")): f.severity for f in inspect(False)}


@pytest.mark.parametrize(("days", "stale"), [(13, False), (15, True)])
def test_news_goes_stale_after_fourteen_days(review_2023, days, stale):
    """At 13 days the news column and the home page are fresh; at 15 both are not."""
    found = checks_at(PUBLISHED + timedelta(days=days))
    assert ("freshness.home:" in found) == stale
    assert ("freshness.stale_column:news" in found) == stale
    if stale:
        assert found["freshness.home:"] == Severity.VETO


@pytest.mark.parametrize(("days", "stale"), [(179, False), (181, True)])
def test_notices_go_stale_after_180_days(review_2023, days, stale):
    Notice.objects.create(title="通知", slug="n", status=Status.PUBLISHED, publish_at=PUBLISHED)
    found = checks_at(PUBLISHED + timedelta(days=days))
    assert ("freshness.stale_column:notice" in found) == stale
    assert "freshness.empty_column:notice" not in found


def test_empty_columns_are_found(review_2023):
    found = checks_at(PUBLISHED)
    assert found["freshness.empty_column:notice"] == Severity.DEDUCTION
    assert found["freshness.empty_column:serviceguide"] == Severity.DEDUCTION
    assert "freshness.empty_column:place" not in found


def test_a_published_guide_missing_an_element_is_a_veto(review_2023):
    guide = ServiceGuide.objects.create(
        status=Status.PUBLISHED, slug="g", publish_at=PUBLISHED, **COMPLETE_GUIDE
    )
    assert "guides.missing_element:" not in checks_at(PUBLISHED)
    ServiceGuide.objects.filter(pk=guide.pk).update(materials_zh_hans="")
    assert checks_at(PUBLISHED)["guides.missing_element:"] == Severity.VETO


def test_a_filled_identity_leaves_no_identity_finding(review_2023):
    assert "identity.website_code:" in checks_at(PUBLISHED)
    SiteIdentity(
        sponsor="上海市长宁区新泾镇人民政府",
        address="地址",
        phone="021-00000000",
        website_code="3101050000",
        icp_number="沪ICP备00000000号",
        public_security_number="沪公网安备00000000000000号",
        privacy_statement="隐私声明",
    ).save()
    assert not [check for check in checks_at(PUBLISHED) if check.startswith("identity.")]


def run(*args) -> tuple[int, str]:
    out = StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("inspect_site", *args, stdout=out)
    return exit_status.value.code, out.getvalue()


def test_the_command_exits_2_for_a_veto_and_speaks_json(review_2023):
    """The demo today: its news is two years old (a veto), its identity empty."""
    status, out = run("--json")
    report = json.loads(out)
    assert status == report["status"] == 2
    finding = report["findings"][0]
    assert set(finding) == {"check", "severity", "message", "link", "data"}
    assert finding["severity"] == "veto"
    assert set(finding["message"]) == {"zh-hans", "en"}
    assert all(f["severity"] in {"veto", "deduction", "advice"} for f in report["findings"])


def test_the_command_exits_1_for_deductions_only_and_0_when_clean(review_2023):
    """Fresh news and notices, a guide, a filled identity: clean; the pages all answer."""
    with time_machine.travel(PUBLISHED + timedelta(days=1), tick=False):
        Notice.objects.create(title="通知", slug="n", status=Status.PUBLISHED, publish_at=PUBLISHED)
        status, _out = run()
        assert status == 1  # the identity is still empty, the guides column too
        ServiceGuide.objects.create(status=Status.PUBLISHED, slug="g", **COMPLETE_GUIDE)
        SiteIdentity(
            sponsor="主办",
            address="地址",
            phone="1",
            website_code="1",
            icp_number="1",
            public_security_number="1",
            privacy_statement="1",
        ).save()
        News.objects.update(title_en="News")
        Place.objects.update(address_en="")
        status, out = run()
    assert status == 0, out


def test_publishers_and_editors_see_the_findings(editor_client, review_2023):
    page = editor_client.get(admin_url("siteidentity_inspection"))
    assert page.status_code == 200
    assert "freshness.home" in page.text
    index = editor_client.get("/en/admin/")
    assert "Site inspection" in index.text
    assert "The home page has had nothing new" in index.text
