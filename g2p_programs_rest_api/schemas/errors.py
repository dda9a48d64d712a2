"""Error bodies of the registry app as this addon documents them (the
``model`` of each error status in the OpenAPI document, for generated
clients). Neither Odoo nor the registry API is imported."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorResponse(BaseModel):
    """``{"detail": "<message>"}``: 400, 401, 404, 409, 412."""

    detail: str = Field(description="What went wrong, naming the field if any.")


class ValidationErrorEntry(BaseModel):
    """One invalid value: FastAPI's validation error, or a broken membership
    rule (``type`` ``membership_rule``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="Kind of error, e.g. `membership_rule`.")
    loc: list[str | int] = Field(
        description="Where: `body`, `query` or `path`, then the field's path."
    )
    msg: str = Field(description="What is wrong with the value.")
    input: Any = Field(default=None, description="The value sent.")


class ValidationErrorResponse(BaseModel):
    """422: ``{"detail": [{"type", "loc", "msg", "input"}, ...]}``."""

    detail: list[ValidationErrorEntry]
