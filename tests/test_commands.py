"""Management commands that staff and operators run."""

from io import StringIO

from django.core.management import call_command

from highlights.models import Award, Figure, Initiative, Keyword, News, Place, Review


def test_seed_scale_creates_published_bilingual_data(empty_site):
    """seed_scale fills years × keywords × items, both languages, and skips existing years."""
    out = StringIO()
    call_command("seed_scale", years=2, keywords=3, items=2, start_year=2001, stdout=out)
    assert "Created 2 reviews" in out.getvalue()
    assert Review.objects.published().count() == 2
    assert Keyword.objects.published().count() == 6
    for model in (Initiative, Figure, Award):
        assert model.objects.published().count() == 12
    assert News.objects.published().count() == 2 * 52
    assert Place.objects.published().count() == 6
    keyword = Keyword.objects.first()
    assert keyword.title_zh_hans
    assert keyword.title_en
    call_command("seed_scale", years=2, keywords=3, items=2, start_year=2001, stdout=StringIO())
    assert Review.objects.count() == 2


def test_seeded_pages_render(client, db):
    """Seeded reviews are real pages."""
    call_command("seed_scale", years=1, keywords=2, items=2, start_year=2010, stdout=StringIO())
    assert client.get("/2010/").status_code == 200
    assert client.get("/en/2010/keywords/keyword-1/").status_code == 200
    assert client.get("/news/2010/").status_code == 200
