"""Helpers that build extra content for tests."""

from datetime import datetime

from highlights.images import rendition_columns
from highlights.models import Award, Figure, Initiative, Keyword, Photo, Review


def multiply_content(review: Review, times: int) -> None:
    """Make every keyword of the review, with its initiatives, figures and awards, `times` over."""
    originals = list(review.keywords.prefetch_related("initiatives", "figures", "awards"))
    count = len(originals)
    for copy_number in range(1, times):
        for original in originals:
            clone = Keyword.objects.get(pk=original.pk)
            clone.pk = None
            clone.position = original.position + count * copy_number
            clone.slug = f"{original.slug}-{copy_number}"
            clone.save()
            initiatives = {}
            for initiative in original.initiatives.all():
                old_pk = initiative.pk
                initiative.pk = None
                initiative.keyword = clone
                initiative.save()
                initiatives[old_pk] = initiative
            for figure in original.figures.all():
                figure.pk = None
                figure.keyword = clone
                figure.initiative = initiatives.get(figure.initiative_id)
                figure.save()
            for award in original.awards.all():
                award.pk = None
                award.keyword = clone
                award.save()
    # The originals' own initiatives get ten times the figures too.
    for original in originals:
        for figure in list(original.figures.all()):
            for extra in range(1, times):
                figure.pk = None
                figure.position = figure.position + 100 * extra
                figure.save()


MODELS = [Review, Keyword, Initiative, Figure, Award, Photo]


def comparable(value):
    """JSON archives keep times to the millisecond, as Django's JSON serializer writes them."""
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def snapshot() -> dict:
    """Every field of every row, keyed by natural key, pks and rendition lists aside."""
    ignored = {"id", "review", "keyword", "initiative", *rendition_columns()}
    state = {}
    for model in MODELS:
        for obj in model.objects.all():
            fields = {
                field.attname: comparable(getattr(obj, field.attname))
                for field in model._meta.concrete_fields
                if field.name not in ignored
            }
            state[(model.__name__, obj.natural_key())] = fields
    return state
