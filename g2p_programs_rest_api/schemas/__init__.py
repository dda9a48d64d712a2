"""Pydantic schemas of the membership API (no Odoo import).

Importing this package defines the ``extends=`` classes that add
``program_memberships`` to the registry's registrant schemas; they take effect
in the databases where this addon is installed.
"""

from .program_membership import (
    ProgramMembershipCreate,
    ProgramMembershipOut,
    ProgramMembershipUpdate,
)
from .registrant import (
    GroupMembersInfoIn,
    RegistrantProgramMemberInfoIn,
    RegistrantProgramMemberInfoOut,
)
from .registrant_membership import (
    RegistrantProgramMembershipIn,
    RegistrantProgramMembershipOut,
)
