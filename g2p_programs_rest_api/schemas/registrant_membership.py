"""Programme memberships carried by a registrant in the registry API."""

from typing import Any

from pydantic import AliasChoices, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from odoo.addons.g2p_registry_rest_api.schemas import NaiveOrmModel, OdooName

from ..services.errors import RULE_ERROR_TYPE
from ..services.rules import (
    DEFAULT_STATE,
    MembershipRuleError,
    MembershipValues,
    check_membership,
)
from .types import IsoDate, MembershipState, StoredDate


def rule_validation_error(title: str, error: MembershipRuleError) -> ValidationError:
    """A pydantic error located at the field a rule names, so that FastAPI
    answers 422 with ``loc`` ending in that field."""
    return ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type=PydanticCustomError(RULE_ERROR_TYPE, error.message),
                loc=tuple(error.field.split(".")),
                input=error.value,
            )
        ],
    )


def check_rules(model: Any, title: str) -> None:
    """Check the membership rules on a validated request model."""
    try:
        check_membership(
            MembershipValues(
                state=model.state or DEFAULT_STATE,
                enrollment_date=model.enrollment_date,
                exit_date=model.exit_date,
            )
        )
    except MembershipRuleError as error:
        raise rule_validation_error(title, error) from None


class RegistrantProgramMembershipIn(NaiveOrmModel):
    """A membership to create with the registrant."""

    model_config = ConfigDict(extra="forbid")

    program: str = Field(
        min_length=1,
        # ``name`` is what upstream's 15.0 module called it
        validation_alias=AliasChoices("program", "name"),
        description="Name of an existing programme whose target type is the "
        "registrant's (exact, case-insensitive)",
        examples=["Cash Transfer"],
    )
    state: MembershipState = Field(
        DEFAULT_STATE,
        description="Membership state; `enrolled` without `enrollment_date` is "
        "enrolled today",
    )
    enrollment_date: IsoDate | None = Field(None, examples=["2024-03-01"])
    exit_date: IsoDate | None = Field(
        None, description="Not before `enrollment_date`", examples=[None]
    )

    @model_validator(mode="after")
    def _check_rules(self):
        check_rules(self, type(self).__name__)
        return self


class RegistrantProgramMembershipOut(NaiveOrmModel):
    """A membership of the registrant (``g2p.program_membership``)."""

    id: int = Field(description="Database id of the membership")
    program: OdooName | None = Field(
        None,
        validation_alias=AliasChoices("program_id", "program"),
        description="Programme name",
    )
    state: str
    enrollment_date: StoredDate = None
    exit_date: StoredDate = None
