from odoo import models


class ProcessGroupMixin(models.AbstractModel):
    """Adds the group's ``program_memberships`` to its create values; the
    members' own memberships go with each member (``_process_individual``)."""

    _inherit = "process_group.rest.mixin"

    def _process_group(self, group_info):
        commands = self._program_membership_commands(group_info, is_group=True)
        vals = super()._process_group(group_info)
        # Upstream writes a missing registration date as None over the
        # model's default (today), and its group answer then refuses the
        # group (registration_date is a non-null date there): a 500 after
        # the group was created. Individuals get the default; so do groups.
        if vals.get("registration_date") is None:
            vals.pop("registration_date", None)
        if commands:
            vals["program_membership_ids"] = commands
        return vals
