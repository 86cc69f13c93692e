"""Django's JSON serializer, keeping times to the microsecond: for revisions and archives."""

from datetime import datetime

from django.core.serializers import json as json_serializer


class PreciseJSONSerializer(json_serializer.Serializer):
    """The stock encoder cuts times to milliseconds, so a restored or imported row's updated_at
    (its public dateModified) would differ from the one it was saved with."""

    def handle_field(self, obj, field) -> None:
        value = field.value_from_object(obj)
        if isinstance(value, datetime):
            self._current[field.name] = value.isoformat()
        else:
            super().handle_field(obj, field)
