"""A review's figures as open data: CSV for spreadsheets and JSON for programs, both languages."""

from __future__ import annotations

import csv
import io

from django.db.models import Model

from . import languages, safe_json
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


def figures_csv(rows: list[dict]) -> str:
    """CSV with a byte-order mark, so that Excel opens the Chinese text as UTF-8."""
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.DictWriter(output, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows({column: inert(value) for column, value in row.items()} for row in rows)
    return output.getvalue()


def figures_json(review: Review, rows: list[dict]) -> str:
    return safe_json.dumps({"review": review.year, "figures": rows}, indent=2)
