"""Individual schemas (upstream 17.0 names)."""

from datetime import date
from typing import Literal

from pydantic import Field

from .registrant import RegistrantInfoRequest, RegistrantInfoResponse


class IndividualInfoRequest(RegistrantInfoRequest):
    given_name: str = Field(min_length=1)
    addl_name: str | None = None
    family_name: str | None = None
    gender: str | None = None
    birthdate: date | None = Field(
        None, description="Date of birth", examples=["2000-01-01"]
    )
    birth_place: str | None = None
    is_group: Literal[False] = False


class IndividualInfoResponse(RegistrantInfoResponse):
    given_name: str | None = None
    addl_name: str | None = None
    family_name: str | None = None
    gender: str | None = None
    birthdate: date | None = None
    age: str | None = None
    birth_place: str | None = None
    is_group: bool = False
