"""Base of the registry schemas: extendable pydantic models readable from Odoo
records.

``NaiveOrmModel.model_validate(record)`` reads every model field from the Odoo
field of the same name, or from the Odoo field named by its validation alias
(``ids: ... = Field(validation_alias=AliasChoices("reg_ids", "ids"))`` reads
``record.reg_ids`` and is still serialised as ``ids``). Odoo's ``False`` for an
empty non-boolean value becomes ``None``, x2many recordsets become lists of
records, datetimes (naive UTC in Odoo) get their UTC timezone.

Nothing here imports Odoo: records are recognised by their ``_fields``.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from extendable_pydantic import ExtendableBaseModel
from pydantic import AliasChoices, BeforeValidator, ConfigDict, model_validator
from pydantic.fields import FieldInfo


def is_odoo_record(value: Any) -> bool:
    """Whether ``value`` is an Odoo recordset (duck-typed, no Odoo import)."""
    return isinstance(getattr(type(value), "_fields", None), dict) and hasattr(
        value, "_ids"
    )


def _attribute_candidates(name: str, field: FieldInfo) -> list[str]:
    """Attribute names to read a model field from, by preference."""
    alias = field.validation_alias
    if isinstance(alias, str):
        names = [alias]
    elif isinstance(alias, AliasChoices):
        names = [choice for choice in alias.choices if isinstance(choice, str)]
    else:
        names = [field.alias] if field.alias else []
    return [*names, name]


def _odoo_value(record: Any, field_name: str) -> Any:
    value = record[field_name]
    field_type = record._fields[field_name].type
    if field_type in ("one2many", "many2many"):
        return list(value)
    if field_type == "many2one":
        return value or None
    if field_type == "boolean":
        return bool(value)
    if value is False:
        return None
    if field_type == "datetime" and isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return value


def record_to_dict(model: type["NaiveOrmModel"], record: Any) -> dict[str, Any]:
    """The values of ``model``'s fields read from an Odoo record.

    A field without a matching Odoo field is left out (its default applies),
    except when one of its aliases names a plain attribute of the record.
    """
    record.ensure_one()
    data = {}
    for name, field in model.model_fields.items():
        candidates = _attribute_candidates(name, field)
        odoo_field = next((c for c in candidates if c in record._fields), None)
        if odoo_field is not None:
            data[name] = _odoo_value(record, odoo_field)
            continue
        for attribute in candidates[:-1]:
            value = getattr(record, attribute, None)
            if value is not None and not callable(value):
                data[name] = value
                break
    return data


def _record_name(value: Any) -> Any:
    if is_odoo_record(value):
        if not value:
            return None
        value.ensure_one()
        return value.name if "name" in value._fields else value.display_name
    return value


OdooName = Annotated[str, BeforeValidator(_record_name)]
"""A string read from a many2one: the name of the linked record."""


class NaiveOrmModel(ExtendableBaseModel):
    """Extendable model that can also be validated from an Odoo record."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def read_odoo_record(cls, data: Any) -> Any:
        if is_odoo_record(data):
            return record_to_dict(cls, data)
        return data
