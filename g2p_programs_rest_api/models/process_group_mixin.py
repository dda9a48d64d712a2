from odoo import models


class ProcessGroupMixin(models.AbstractModel):
    """Adds the group's ``program_memberships`` to its create values; the
    members' own memberships go with each member (``_process_individual``)."""

    _inherit = "process_group.rest.mixin"

    def _process_group(self, group_info):
        return self._with_program_memberships(
            group_info, super()._process_group, is_group=True
        )
