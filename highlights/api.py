"""The read-only open-data API: published content only, in the language the client asks for."""

from __future__ import annotations

from django.db.models import Model, Prefetch, QuerySet
from django.utils import translation
from django.utils.cache import patch_vary_headers
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.views import APIView

from . import languages
from .addresses import absolute
from .models import (
    Attachment,
    Award,
    AwardLevel,
    Figure,
    Initiative,
    Keyword,
    News,
    Notice,
    OpeningPeriod,
    Place,
    Review,
    ServiceGuide,
)
from .publishing import PLAUSIBLE_YEARS

LANGUAGE_CODES = languages.codes()
LANG_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=LANGUAGE_CODES,
    description="Language of text fields; defaults to the Accept-Language header, then Chinese.",
)
REVIEW_PARAMETER = OpenApiParameter(
    "review",
    {"type": "integer", "minimum": PLAUSIBLE_YEARS[0], "maximum": PLAUSIBLE_YEARS[-1]},
    description="Only this year's review.",
)
# What a refused request or a missing row answers: each field named, or "detail", with why.
PROBLEM = OpenApiResponse(
    {"type": "object", "additionalProperties": {"type": "string"}},
    description="What was wrong, by parameter name (or detail).",
)


class OpenDataSchema(AutoSchema):
    """Every operation also documents its refusals: a bad parameter (400), no such row (404)."""

    def get_response_serializers(self):
        return {200: super().get_response_serializers(), 400: PROBLEM, 404: PROBLEM}


class ReviewSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["year", "title", "subtitle", "tagline", "introduction", "publish_at", "url"]

    def get_url(self, obj: Review) -> str:
        return absolute(obj.get_absolute_url())


class KeywordSerializer(serializers.ModelSerializer):
    review = serializers.IntegerField(source="review.year")
    # Always filled in once saved, though staff may leave it empty in a form.
    slug = serializers.SlugField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Keyword
        fields = [
            "id",
            "review",
            "position",
            "slug",
            "title",
            "tagline",
            "summary",
            "body",
            "publish_at",
            "url",
        ]

    def get_url(self, obj: Keyword) -> str:
        return absolute(obj.get_absolute_url())


class InitiativeSerializer(serializers.ModelSerializer):
    keyword = serializers.PrimaryKeyRelatedField(read_only=True)
    slug = serializers.SlugField(read_only=True)

    class Meta:
        model = Initiative
        fields = ["id", "keyword", "position", "slug", "name", "description"]


class FigureSerializer(serializers.ModelSerializer):
    keyword = serializers.PrimaryKeyRelatedField(read_only=True)
    initiative = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    text = serializers.CharField(source="phrase", read_only=True)

    class Meta:
        model = Figure
        fields = [
            "id",
            "keyword",
            "initiative",
            "position",
            "label",
            "value",
            "unit",
            "qualifier",
            "indicator",
            "text",
        ]


class AwardSerializer(serializers.ModelSerializer):
    keyword = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Award
        fields = ["id", "keyword", "position", *Award.public_fields]


class LanguageMixin:
    """?lang= first, then the Accept-Language header, then Chinese.

    The site's unprefixed URLs are Chinese whatever the browser says; the API, used by programs,
    honours Accept-Language instead.
    """

    schema = OpenDataSchema()

    def initial(self, request, *args, **kwargs) -> None:
        language = request.query_params.get("lang")
        if language is None:
            language = translation.get_language_from_request(request)
        elif language not in LANGUAGE_CODES:
            raise ValidationError({"lang": f"Choose one of: {', '.join(LANGUAGE_CODES)}."})
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        # Without ?lang=, the language comes from the header or Django's language cookie.
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response


class ReviewContentViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Published rows of one kind, newest review first, optionally of one year (?review=)."""

    def published(self) -> QuerySet:
        return self.serializer_class.Meta.model.objects.published().in_review_order()

    def get_queryset(self) -> QuerySet:
        rows = self.published()
        year = self.request.query_params.get("review")
        if year is None:
            return rows
        # isdigit() alone accepts ² or ①, which int() refuses: only ASCII digits are a year.
        if not (year.isascii() and year.isdigit() and int(year) in PLAUSIBLE_YEARS):
            first, last = PLAUSIBLE_YEARS[0], PLAUSIBLE_YEARS[-1]
            raise ValidationError({"review": f"Give a year from {first} to {last}, e.g. 2023."})
        review_path = rows.model.public_when[0][-1]
        return rows.filter(**{f"{review_path}__year": int(year)})


REVIEW_FILTERED = extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER, REVIEW_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class ReviewViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReviewSerializer
    lookup_field = "year"
    lookup_value_regex = "[0-9]{4}"

    def get_queryset(self) -> QuerySet[Review]:
        return Review.objects.published().order_by("-year")


@REVIEW_FILTERED
class KeywordViewSet(ReviewContentViewSet):
    serializer_class = KeywordSerializer

    def published(self) -> QuerySet[Keyword]:
        return super().published().select_related("review")


@REVIEW_FILTERED
class InitiativeViewSet(ReviewContentViewSet):
    serializer_class = InitiativeSerializer


@REVIEW_FILTERED
class FigureViewSet(ReviewContentViewSet):
    serializer_class = FigureSerializer


@extend_schema_view(
    list=extend_schema(
        parameters=[
            LANG_PARAMETER,
            REVIEW_PARAMETER,
            OpenApiParameter("level", OpenApiTypes.STR, enum=AwardLevel.values),
        ]
    ),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class AwardViewSet(ReviewContentViewSet):
    serializer_class = AwardSerializer

    def published(self) -> QuerySet[Award]:
        awards = super().published()
        level = self.request.query_params.get("level")
        if level is not None:
            if level not in AwardLevel.values:
                raise ValidationError({"level": f"Choose one of: {', '.join(AwardLevel.values)}."})
            awards = awards.filter(level=level)
        return awards


@extend_schema(exclude=True)
class NotFoundView(LanguageMixin, APIView):
    """Any other address under /api/ answers as the API does, in JSON, not with a web page."""

    def get(self, request, *args, **kwargs):
        raise NotFound


# The weekly site's columns ------------------------------------------------------------------


def slugs(field: str, **options) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(field, many=True, read_only=True, **options)


class ColumnSerializer(serializers.ModelSerializer):
    """A row of a column, known by its slug, with its page's address."""

    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class NewsSerializer(ColumnSerializer):
    keywords = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    initiatives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    places = slugs("slug")

    class Meta:
        model = News
        fields = [
            "slug",
            "title",
            "summary",
            "body",
            "source",
            "publish_at",
            "keywords",
            "initiatives",
            "places",
            "url",
        ]


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["name", "size", "url"]

    def get_url(self, obj: Attachment) -> str:
        return absolute(obj.get_absolute_url())


class NoticeSerializer(ColumnSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)
    expired = serializers.BooleanField(source="is_expired", read_only=True)

    class Meta:
        model = Notice
        fields = [
            "slug",
            "title",
            "issuer",
            "document_number",
            "body",
            "publish_at",
            "valid_until",
            "expired",
            "attachments",
            "url",
        ]


class OpeningPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningPeriod
        fields = ["weekday", "opens", "closes"]


class PlaceSerializer(ColumnSerializer):
    opening_hours = OpeningPeriodSerializer(source="opening_periods", many=True, read_only=True)

    class Meta:
        model = Place
        fields = [
            "slug",
            "name",
            "kind",
            "address",
            "description",
            "phone",
            "accessibility",
            "latitude",
            "longitude",
            "opening_hours",
            "url",
        ]


class ServiceGuideSerializer(ColumnSerializer):
    places = slugs("slug")

    class Meta:
        model = ServiceGuide
        fields = [
            "slug",
            "title",
            "basis",
            "conditions",
            "materials",
            "process",
            "location",
            "hours",
            "phone",
            "fees",
            "time_limit",
            "places",
            "url",
        ]


COLUMN_ROWS = {
    News: lambda rows: rows.newest_first().prefetch_related(
        Prefetch("keywords", Keyword.objects.published()),
        Prefetch("initiatives", Initiative.objects.published()),
        Prefetch("places", Place.objects.published()),
    ),
    Notice: lambda rows: rows.newest_first().prefetch_related("attachments"),
    Place: lambda rows: rows.by_kind().prefetch_related("opening_periods"),
    ServiceGuide: lambda rows: rows.by_title().prefetch_related(
        Prefetch("places", Place.objects.published())
    ),
}


@extend_schema_view(
    list=extend_schema(parameters=[LANG_PARAMETER]),
    retrieve=extend_schema(parameters=[LANG_PARAMETER]),
)
class ColumnViewSet(LanguageMixin, viewsets.ReadOnlyModelViewSet):
    """Published rows of one of the site's columns, found by slug."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self) -> QuerySet:
        model = self.serializer_class.Meta.model
        return COLUMN_ROWS[model](model.objects.published())


class NewsViewSet(ColumnViewSet):
    serializer_class = NewsSerializer


class NoticeViewSet(ColumnViewSet):
    serializer_class = NoticeSerializer


class PlaceViewSet(ColumnViewSet):
    serializer_class = PlaceSerializer


class ServiceGuideViewSet(ColumnViewSet):
    serializer_class = ServiceGuideSerializer


def column_api(model: type[Model]) -> tuple[type[ColumnSerializer], QuerySet]:
    """A column's serializer and its published rows as the API reads them: the open-data
    downloads give the same fields."""
    viewset = next(
        viewset
        for viewset in ColumnViewSet.__subclasses__()
        if viewset.serializer_class.Meta.model is model
    )
    return viewset.serializer_class, COLUMN_ROWS[model](model.objects.published())
