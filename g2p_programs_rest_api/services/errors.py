"""The errors of the membership API's rules, without HTTP, Odoo or FastAPI.

A broken rule raises :class:`MembershipRuleError` with the request field to
fix and the ``kind`` of error; how each kind is answered (status and body) is
decided in one place, :mod:`..schemas.errors`.
"""

from typing import Any

# A value wrong in itself (a date before another, an unknown state).
INVALID_VALUE = "invalid_value"
# A reference to a record that does not exist or does not fit (an unknown
# programme, a malformed registrant handle, a programme of the other target type).
BAD_REFERENCE = "bad_reference"
# A clash with existing records (a second membership, an ambiguous name).
CONFLICT = "conflict"
KINDS = (INVALID_VALUE, BAD_REFERENCE, CONFLICT)


class MembershipRuleError(ValueError):
    """A request breaks a rule; ``field`` is the request field to fix."""

    def __init__(
        self,
        field: str,
        message: str,
        kind: str = INVALID_VALUE,
        value: Any = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"Unknown kind of rule error: {kind!r}")
        self.field = field
        self.message = message
        self.kind = kind
        self.value = value
        super().__init__(f"{field}: {message}")

    def with_prefix(self, prefix: str) -> "MembershipRuleError":
        """The same error for the field seen from an enclosing request
        (``program_memberships[0]`` + ``exit_date``)."""
        field = f"{prefix}.{self.field}" if prefix else self.field
        return MembershipRuleError(field, self.message, self.kind, self.value)


def field_path(*parts: str) -> str:
    """The dotted path of a request field from its non-empty parts:
    ``field_path("members[1]", "program_memberships")`` is
    ``members[1].program_memberships``."""
    return ".".join(part for part in parts if part)
