"""Programme memberships carried by a registrant in the registry API."""

from pydantic import AliasChoices, ConfigDict, Field, model_validator

from odoo.addons.g2p_registry_rest_api.schemas.naive_orm_model import NaiveOrmModel

from ..services.rules import DEFAULT_STATE
from .errors import check_rules
from .types import IsoDate, MembershipState, StoredDate


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
    """A membership of the registrant (``g2p.program_membership``), read from
    the mapping of ``services.membership_vals.registrant_membership_out``."""

    id: int = Field(description="Database id of the membership")
    program: str | None = Field(None, description="Programme name")
    state: str
    enrollment_date: StoredDate = None
    exit_date: StoredDate = None
