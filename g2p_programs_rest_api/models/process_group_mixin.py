from odoo import models


class ProcessGroupMixin(models.AbstractModel):
    """Adds the group's ``program_memberships`` to its create values; the
    members' own memberships go with each member (``_process_individual``)."""

    _inherit = "process_group.rest.mixin"

    def _process_group(self, group_info):
        commands = self._program_membership_commands(group_info, is_group=True)
        vals = super()._process_group(group_info)
        if commands:
            vals["program_membership_ids"] = commands
        return vals
