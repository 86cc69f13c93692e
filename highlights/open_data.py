"""Open data: a review's figures and every column's published rows, as CSV for spreadsheets and
JSON for programs, in both languages."""

from __future__ import annotations

import csv
import io

from django.db.models import Model
from django.utils import translation

from . import languages, safe_json
from .api import column_api
from .models import Figure, Review


def localized(obj: Model | None, field: str, prefix: str = "") -> dict[str, str]:
    """{prefix}{field}_{language} for every language, empty where obj is None."""
    values = {}
    for code in languages.codes():
        name = languages.column(field, code)
        values[f"{prefix}{name}"] = (getattr(obj, name) or "") if obj else ""
    return values


def figure_row(figure: Figure) -> dict:
    value = figure.value.normalize() if figure.value % 1 else int(figure.value)
    return {
        "year": figure.keyword.review.year,
        "keyword_position": figure.keyword.position,
        **localized(figure.keyword, "title", prefix="keyword_"),
        **localized(figure.initiative, "name", prefix="initiative_"),
        "position": figure.position,
        **localized(figure, "label"),
        "value": str(value),
        **localized(figure, "unit"),
        "qualifier": figure.qualifier,
        "indicator": figure.indicator,
    }


COLUMNS = [
    "year",
    "keyword_position",
    *localized(None, "title", prefix="keyword_"),
    *localized(None, "name", prefix="initiative_"),
    "position",
    *localized(None, "label"),
    "value",
    *localized(None, "unit"),
    "qualifier",
    "indicator",
]


def figure_rows(review: Review) -> list[dict]:
    """One row per published figure, in the review's order."""
    figures = (
        Figure.objects.published()
        .filter(keyword__review=review)
        .select_related("keyword__review", "initiative")
        .order_by("keyword__position", "position")
    )
    return [figure_row(figure) for figure in figures]


# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """Text that a spreadsheet shows as text: a leading apostrophe disarms formulas."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def spreadsheet(rows: list[dict], columns: list[str]) -> str:
    """CSV with a byte-order mark, so that Excel opens the Chinese text as UTF-8."""
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.DictWriter(output, fieldnames=columns)
    writer.writeheader()
    writer.writerows({column: inert(value) for column, value in row.items()} for row in rows)
    return output.getvalue()


def figures_csv(rows: list[dict]) -> str:
    return spreadsheet(rows, COLUMNS)


def figures_json(review: Review, rows: list[dict]) -> str:
    return safe_json.dumps({"review": review.year, "figures": rows}, indent=2)


# A column's rows -------------------------------------------------------------------------------


def in_every_language(model: type[Model], name: str, field) -> bool:
    """Whether a field of the API's serializer differs by language: a translated field, or a
    list of rows with translated fields (a notice's documents)."""
    child = getattr(field, "child", None)
    nested = getattr(getattr(child, "Meta", None), "model", None)
    return name in model.translated_fields or bool(getattr(nested, "translated_fields", ()))


def column_records(model: type[Model]) -> tuple[list[dict], list[str]]:
    """Every published row of a column as the API gives it, each field that differs by
    language once per language (title_zh_hans, title_en …), and the fields in order."""
    serializer_class, rows = column_api(model)
    rows = list(rows)
    by_language = {}
    for code in languages.codes():
        with translation.override(code):
            by_language[code] = serializer_class(rows, many=True).data
    names = list(serializer_class.Meta.fields)
    declared = serializer_class().fields
    translated = {name for name in names if in_every_language(model, name, declared[name])}
    fields = [
        column
        for name in names
        for column in (languages.columns([name]) if name in translated else [name])
    ]
    records = []
    for index, record in enumerate(by_language[languages.source_language()]):
        values = {}
        for name in names:
            if name in translated:
                for code in languages.codes():
                    values[languages.column(name, code)] = by_language[code][index][name]
            else:
                values[name] = record[name]
        records.append(values)
    return records, fields


def cell(value) -> str:
    """A value as one spreadsheet cell: a list of slugs joined, rows (documents, opening hours)
    as JSON, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        if all(isinstance(item, str | int) for item in value):
            return "; ".join(str(item) for item in value)
        return safe_json.dumps(value)
    return str(value)


def column_csv(records: list[dict], fields: list[str]) -> str:
    return spreadsheet([{k: cell(v) for k, v in record.items()} for record in records], fields)


def column_json(model: type[Model], records: list[dict]) -> str:
    return safe_json.dumps({"column": model._meta.model_name, "items": records}, indent=2)
