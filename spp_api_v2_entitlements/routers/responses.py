"""OpenAPI of the Entitlement API's error answers (``{"detail": ...}``)."""

from ..schemas.entitlement import ErrorResponse


def error_response(description, detail=None, *, examples=None, model=ErrorResponse):
    """An error answer's body model and description, with its example: the
    ``detail``, or named ``examples`` (see :func:`example`)."""
    content = {"examples": examples} if examples else {"example": {"detail": detail}}
    return {
        "model": model,
        "description": description,
        "content": {"application/json": content},
    }


def example(summary, detail):
    """A named example of an error answer."""
    return {"summary": summary, "value": {"detail": detail}}
