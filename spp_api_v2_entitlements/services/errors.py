"""The errors of the Entitlement API's rules, without HTTP, Odoo or FastAPI.

How each is answered (status and body) is decided in one place,
:mod:`..schemas.errors`.
"""

from dataclasses import dataclass, replace

from odoo.addons.spp_api_base.services import errors as _base_errors

# every app's error of a request parameter (spp_api_base)
InvalidParameter = _base_errors.InvalidParameter


class NotAcceptable(ValueError):
    """The request's ``Accept`` allows none of the ``offered`` media types."""

    def __init__(self, accept, offered):
        super().__init__(accept)
        self.accept = accept
        self.offered = tuple(offered)

    @property
    def detail(self):
        return (
            f"Not acceptable: Accept {self.accept!r} allows none of "
            f"{', '.join(self.offered)}"
        )


# What is wrong with a payment report, by kind (answered in schemas/errors.py).
NOT_FOUND = "not_found"  # no such entitlement is visible to the client
CONFLICT = "conflict"  # the entitlement's state, kind or a used reference
INVALID = "invalid"  # a field of the report, or the body


@dataclass(frozen=True)
class ReportError:
    """One thing wrong with a payment report (or the body), naming the field."""

    field: str
    message: str
    kind: str = INVALID
    index: int | None = None
    entitlement: str | None = None

    def at(self, index, entitlement):
        return replace(self, index=index, entitlement=entitlement)

    def text(self):
        # errors of the entitlement itself name it in their message
        if self.field == "entitlement":
            return self.message
        return f"{self.field}: {self.message}"


class ReportRejected(Exception):
    """The request records nothing: ``errors`` says why (at least one)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(e.text() for e in self.errors))

    @property
    def kind(self):
        """Kind of a single report's rejection: its first error's."""
        return self.errors[0].kind

    def detail(self):
        """``detail`` text of a single report: every error, naming its field."""
        return "; ".join(e.text() for e in self.errors)
