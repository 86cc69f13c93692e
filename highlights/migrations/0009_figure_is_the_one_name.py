"""Metric becomes Figure, the name staff and residents already read; its rows are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("highlights", "0008_photo_image_columns")]

    operations = [
        migrations.RemoveConstraint(model_name="metric", name="metric_unique_position"),
        migrations.RemoveConstraint(model_name="metric", name="metric_value_non_negative"),
        migrations.RemoveConstraint(model_name="metric", name="metric_position_positive"),
        migrations.RenameModel(old_name="Metric", new_name="Figure"),
        migrations.RenameModel(old_name="HistoricalMetric", new_name="HistoricalFigure"),
    ]
