"""Schemas of the ``/program`` routes (plain pydantic models)."""

from pydantic import BaseModel, ConfigDict, Field


class ProgramOut(BaseModel):
    """A programme (``g2p.program``) a registrant may be enrolled into."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "name": "Cash Transfer",
                    "target_type": "individual",
                    "state": "active",
                }
            ]
        }
    )

    id: int = Field(description="Database id of the programme")
    name: str | None = Field(
        description="Its name: what `program` of a membership takes"
    )
    target_type: str | None = Field(
        description="Who it enrols: `individual` or `group`"
    )
    state: str | None = Field(description="`active` or `ended`")
