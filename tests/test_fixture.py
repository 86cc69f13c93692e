"""The 2023 demo fixture against the town's own text (kept in fixtures/source/)."""

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from modeltranslation.translator import translator

from highlights.models import Award, AwardLevel, Figure, Initiative, Keyword, Qualifier, Review

SOURCE = (Path(settings.BASE_DIR) / "fixtures/source/xinjing-2023-review.zh.txt").read_text(
    encoding="utf-8"
)
# The source is a PDF's text: lines are hard-wrapped and spaced for justification.
COMPACT_SOURCE = re.sub(r"\s+", "", SOURCE)
YEARS = {"2023"}
BELT = "15分钟-10分钟-5分钟党群服务带"

pytestmark = pytest.mark.usefixtures("review_2023")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_review_header_is_verbatim():
    """Title, subtitle, tagline and introduction are the source's words."""
    review = Review.objects.get(year=2023)
    for text in (review.title_zh_hans, review.subtitle_zh_hans, review.tagline_zh_hans):
        assert compact(text) in COMPACT_SOURCE
    assert compact(review.introduction_zh_hans).startswith("岁且更始，时乃日新。")
    assert compact(review.introduction_zh_hans) in COMPACT_SOURCE
    assert review.is_published


def test_seven_keywords_in_source_order():
    """The seven keyword titles and taglines appear in the source's order."""
    headings = [
        compact(f"{k.title_zh_hans}{k.tagline_zh_hans}")
        for k in Keyword.objects.filter(review__year=2023).order_by("position")
    ]
    assert headings == [
        "主题教育走深走实",
        "东虹片区同频联动",
        "经济名片不断擦亮",
        "“绣花功夫”精细治理",
        "幸福之地泾彩蝶变",
        "文脉隽永焕新而生",
        "党建引领同心同行",
    ]
    positions = [COMPACT_SOURCE.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_keyword_bodies_are_the_source_paragraphs():
    """Each body is the full paragraph under its heading, word for word."""
    keywords = list(Keyword.objects.order_by("position"))
    for keyword, following in zip(keywords, [*keywords[1:], None], strict=True):
        start = COMPACT_SOURCE.index(compact(keyword.title_zh_hans + keyword.tagline_zh_hans))
        start += len(compact(keyword.title_zh_hans + keyword.tagline_zh_hans))
        end = (
            COMPACT_SOURCE.index(compact(following.title_zh_hans + following.tagline_zh_hans))
            if following
            else len(COMPACT_SOURCE)
        )
        assert compact(keyword.body_zh_hans) == COMPACT_SOURCE[start:end]


def test_every_number_in_the_source_is_a_figure():
    """Every number in the text (years aside) is a Figure, as many times as it appears, except
    the belt's: “15分钟-10分钟-5分钟党群服务带” names one belt of three tiers, not three
    quantities to compare."""
    text = COMPACT_SOURCE.replace(BELT, "")
    in_source = Counter(
        number for number in re.findall(r"\d+(?:\.\d+)?", text) if number not in YEARS
    )
    with translation.override("zh-hans"):
        in_fixture = Counter(figure.number() for figure in Figure.objects.all())
    assert in_fixture == in_source


def test_each_figure_matches_the_source_wording():
    """Value, qualifier and unit together appear in the source: 7000余名, 11.89平方公里."""
    with translation.override("zh-hans"):
        for figure in Figure.objects.all():
            qualifier = "余" if figure.qualifier == Qualifier.MORE_THAN else ""
            assert f"{figure.number()}{qualifier}{figure.unit_zh_hans}" in COMPACT_SOURCE


def test_headline_figures_read_right_in_both_languages():
    """7000余名党员 reads “more than 7,000 Party members” in a sentence, 7,000+ on a tile."""
    members = Figure.objects.get(indicator="participating-party-members")
    with translation.override("zh-hans"):
        assert members.phrase().startswith("7000余名党员")
    with translation.override("en"):
        assert members.phrase().startswith("more than 7,000 Party members")
        assert members.quantity() == "7,000+"
    area = Figure.objects.get(indicator="town-park-area")
    with translation.override("en"):
        assert area.phrase() == "11.89 km² area of “town and park as one”"


def test_lecture_and_lesson_participants_belong_to_the_keyword():
    """241 organisations and 7,000+ members took part in the lectures and lessons together."""
    keyword = Keyword.objects.get(slug="thematic-education")
    for indicator in ("participating-party-organisations", "participating-party-members"):
        figure = Figure.objects.get(indicator=indicator)
        assert figure.keyword == keyword
        assert figure.initiative is None
    lectures = Initiative.objects.get(slug="special-study-briefings")
    assert "专题学习报告会6场、“初心说”主题党课202场，241个党组织" in lectures.description_zh_hans
    assert compact(lectures.description_zh_hans).rstrip("。") in COMPACT_SOURCE


def test_corrected_names_levels_and_inferences():
    """Official names, the case selection's level, and inferences kept out of public fields."""
    assert Initiative.objects.get(slug="one-network-services").name_en == (
        "Government Online-Offline Shanghai"
    )
    case = Award.objects.get(name_zh_hans="第六届中国（上海）社会治理创新实践优秀案例")
    assert case.level == ""  # the source does not say, as for the 壹颗松杯 award
    assert "Level not stated" in case.source_note
    assert case.recipient_zh_hans == "同Xin街区：同你健康在一起"
    assert case.year is None
    assert "not who submitted it" in case.source_note
    only_one = Award.objects.get(name_zh_hans="上海市“2023年度社保服务优秀社区”")
    assert (only_one.rank_zh_hans, only_one.note_zh_hans) == ("", "全区唯一一家")
    assert only_one.note_en == "the only one in Changning District"
    assert not Figure.objects.filter(keyword__slug="led-by-party-building").exists()
    belt = Initiative.objects.get(slug="party-public-service-belt")
    assert "one belt in three tiers" in belt.description_en


def test_english_uses_curly_apostrophes():
    """No straight apostrophe is left in any English text."""
    for model in (Review, Keyword, Initiative, Figure, Award):
        for obj in model.objects.all():
            for field in model.translated_fields:
                assert "'" not in (getattr(obj, f"{field}_en") or ""), (obj, field)


def test_awards_and_their_levels():
    """All five honours, with recipient, level and rank."""
    awards = {compact(a.name_zh_hans): a for a in Award.objects.all()}
    assert len(awards) == 5
    for name, award in awards.items():
        assert name in COMPACT_SOURCE
        assert compact(award.recipient_zh_hans) in COMPACT_SOURCE
        # A year is kept only where the source states it, in the honour's name or sentence.
        if award.year is not None:
            assert award.year == 2023
    assert Award.objects.filter(year=2023).count() == 2
    silver = Award.objects.get(rank_zh_hans="银奖")
    assert silver.recipient_zh_hans == "刘二居民区"
    assert silver.rank_en == "Silver Award"
    assert Award.objects.filter(level=AwardLevel.MUNICIPAL).count() == 3


@pytest.mark.parametrize(
    "name",
    ["四学机制", "虹桥财富管理走廊", "一站式非诉讼争议调解中心", "社区级生境博物馆", "生境花园"],
)
def test_named_initiatives_are_present(name):
    """Programmes, places and mechanisms the text names are initiatives."""
    assert Initiative.objects.filter(name_zh_hans__contains=name).exists()


def test_initiative_names_come_from_the_source():
    """Initiative names are quoted from the text, not invented."""
    # The text names two service centres in one phrase: 仙霞路、双流路党群服务中心.
    named = COMPACT_SOURCE + "仙霞路党群服务中心"
    for initiative in Initiative.objects.all():
        assert compact(initiative.name_zh_hans) in named, initiative.name_zh_hans


@pytest.mark.parametrize("model", [Review, Keyword, Initiative, Figure, Award])
def test_english_is_complete(model):
    """Every field with Chinese text has an English translation (units may be empty)."""
    for obj in model.objects.all():
        for field in translator.get_options_for_model(model).fields:
            if getattr(obj, f"{field}_zh_hans") and field != "unit":
                assert getattr(obj, f"{field}_en"), f"{obj} lacks English {field}"


def test_english_keeps_names_and_numbers():
    """Proper names are rendered consistently and numbers stay identical in English."""
    english = " ".join(Keyword.objects.values_list("body_en", flat=True))
    for name in ("Chengjiaqiao Subdistrict", "Hongqiao", "Xinjing", "Changning", "Tang Muhai"):
        assert name in english
    for number in ("59", "12", "202", "241", "7,000", "175", "77", "125", "11.89", "19.9"):
        assert re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d.,]\d)", english), number


def test_loading_twice_changes_nothing():
    """loaddata is idempotent thanks to natural keys."""
    before = {m: m.objects.count() for m in (Review, Keyword, Initiative, Figure, Award)}
    snapshot = list(Figure.objects.order_by("pk").values())
    call_command("loaddata", "xinjing_2023", verbosity=0)
    assert {m: m.objects.count() for m in before} == before
    assert list(Figure.objects.order_by("pk").values()) == snapshot
