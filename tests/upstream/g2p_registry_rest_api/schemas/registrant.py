"""Registrant schemas shared by individuals and groups (upstream 17.0 names)."""

from datetime import date, datetime
from typing import Literal

from pydantic import AliasChoices, Field

from .naive_orm_model import NaiveOrmModel, OdooName


class RegistrantIDRequest(NaiveOrmModel):
    """An identifier of the registrant, e.g. a national ID number."""

    id_type: str = Field(
        min_length=1,
        description="Name of an existing ID type (`g2p.id.type`)",
        examples=["National ID"],
    )
    value: str = Field(min_length=1, examples=["NID-0001"])
    expiry_date: date | None = Field(None, examples=["2030-12-31"])
    status: Literal["valid", "invalid"] | None = None
    description: str | None = None


class RegistrantIDResponse(NaiveOrmModel):
    id: int
    id_type: OdooName = Field(description="Name of the ID type")
    value: str | None = None
    expiry_date: date | None = None
    status: str | None = None


class PhoneNumberRequest(NaiveOrmModel):
    phone_no: str = Field(min_length=1, examples=["+15551234567"])
    date_collected: date | None = Field(None, examples=["2024-01-31"])


class PhoneNumberResponse(NaiveOrmModel):
    id: int
    phone_no: str
    phone_sanitized: str | None = None
    date_collected: date | None = None


class RegistrantInfoRequest(NaiveOrmModel):
    """Fields common to the creation of individuals and groups."""

    name: str = Field(min_length=1, description="Mandatory field")
    ids: list[RegistrantIDRequest] = Field(
        description="Identifiers; every `id_type` must exist"
    )
    registration_date: date | None = Field(None, examples=["2024-01-31"])
    phone_numbers: list[PhoneNumberRequest] | None = None
    email: str | None = None
    address: str | None = None


class RegistrantInfoResponse(NaiveOrmModel):
    id: int = Field(description="Database id of the registrant")
    name: str | None = None
    ids: list[RegistrantIDResponse] = Field(
        default_factory=list, validation_alias=AliasChoices("reg_ids", "ids")
    )
    is_group: bool
    registration_date: date | None = None
    phone_numbers: list[PhoneNumberResponse] = Field(
        default_factory=list,
        validation_alias=AliasChoices("phone_number_ids", "phone_numbers"),
    )
    email: str | None = None
    address: str | None = None
    create_date: datetime | None = None
    write_date: datetime | None = None
