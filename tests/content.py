"""Helpers that build extra content for tests."""

from highlights.models import Keyword, Review


def multiply_content(review: Review, times: int) -> None:
    """Make every keyword of the review, with its initiatives, figures and awards, `times` over."""
    originals = list(review.keywords.prefetch_related("initiatives", "metrics", "awards"))
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
            for metric in original.metrics.all():
                metric.pk = None
                metric.keyword = clone
                metric.initiative = initiatives.get(metric.initiative_id)
                metric.save()
            for award in original.awards.all():
                award.pk = None
                award.keyword = clone
                award.save()
    # The originals' own initiatives get ten times the figures too.
    for original in originals:
        for metric in list(original.metrics.all()):
            for extra in range(1, times):
                metric.pk = None
                metric.position = metric.position + 100 * extra
                metric.save()
