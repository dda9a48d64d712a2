from odoo import models

from odoo.addons.g2p_registry_rest_api.services.registrant_vals import field_path


class ProcessIndividualMixin(models.AbstractModel):
    """Adds the registrant's ``program_memberships`` to its create values:
    they are created with the registrant, in the same transaction."""

    _inherit = "process_individual.rest.mixin"

    def _process_individual(self, individual):
        vals = super()._process_individual(individual)
        self._add_program_memberships(vals, individual, is_group=False)
        return vals

    def _program_membership_commands(self, info, is_group):
        """Create commands of ``program_membership_ids`` for ``info``'s
        memberships; errors name the request field (``program_memberships[0]
        .program``, ``members[1].program_memberships[0].exit_date``...)."""
        memberships = getattr(info, "program_memberships", None)
        if not memberships:
            return []
        path = field_path(self._rest_field_path(), "program_memberships")
        return self.env["program_membership.rest.mixin"]._rest_membership_commands(
            memberships, is_group, path
        )

    def _add_program_memberships(self, vals, info, is_group):
        commands = self._program_membership_commands(info, is_group)
        if commands:
            vals["program_membership_ids"] = commands
        return vals
