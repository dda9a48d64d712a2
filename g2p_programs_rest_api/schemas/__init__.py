"""Pydantic schemas of the membership API.

This package and :mod:`.program_membership` import neither Odoo nor the
registry API. The extensions of the registry's schemas (``extends=``) live in
:mod:`.registrant_membership` and :mod:`.registrant`, which import upstream's
``g2p_registry_rest_api`` (and so Odoo); the addon imports them when it loads.
"""

from .program_membership import (
    ProgramMembershipCreate,
    ProgramMembershipOut,
    ProgramMembershipUpdate,
)
