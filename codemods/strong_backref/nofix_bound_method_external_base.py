# A bound method on its own instance, in a class whose base is elsewhere (it may copy the attribute or define it).
from django.db.models import Field


class ArrayField(Field):
    def __init__(self, base_field):
        super().__init__()
        self.base_field = base_field
        if hasattr(base_field, "from_db_value"):
            self.from_db_value = self._from_db_value

    def _from_db_value(self, value, expression, connection):
        return value
