from odoo import models

from ..services.errors import field_path

MEMBERSHIP_MIXIN = "program_membership.rest.mixin"


class ProcessIndividualMixin(models.AbstractModel):
    """Adds the registrant's ``program_memberships`` to its create values:
    they are created with the registrant, in the same transaction."""

    _inherit = "process_individual.rest.mixin"

    def _process_individual(self, individual):
        return self._with_program_memberships(
            individual, super()._process_individual, is_group=False
        )

    def _with_program_memberships(self, info, process, is_group):
        """``process(info)``, the create values of upstream, with ``info``'s
        memberships as ``program_membership_ids``."""
        # Checked first: a wrong membership fails before anything is written.
        commands = self._program_membership_commands(info, is_group)
        vals = process(info)
        if commands:
            vals["program_membership_ids"] = commands
        return vals

    def _program_membership_commands(self, info, is_group):
        """Create commands of ``program_membership_ids`` for ``info``'s
        memberships; errors name the request field (``program_memberships[0]
        .program``, ``members[1].program_memberships[0].exit_date``...)."""
        memberships = getattr(info, "program_memberships", None)
        if not memberships:
            return []
        path = field_path(getattr(info, "_field_path", ""), "program_memberships")
        return self.env[MEMBERSHIP_MIXIN]._api_membership_commands(
            memberships, is_group, path
        )
