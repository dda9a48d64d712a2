from odoo import models

from ..services import registrant_vals
from ..services.registrant_vals import field_path
from .process_individual_mixin import FIELD_PATH_CONTEXT_KEY


class ProcessGroupMixin(models.AbstractModel):
    """Turns ``POST /group`` requests into ``res.partner`` create values.

    Addons add their own values by inheriting this model and extending
    ``_process_group``.
    """

    _name = "process_group.rest.mixin"
    _inherit = "process_individual.rest.mixin"
    _description = "Process Group REST API Mixin"

    def _process_group(self, group_info):
        """``res.partner`` values of a ``GroupInfoRequest``, with the group
        memberships as create commands of ``group_membership_ids``.

        Every name (ID types, kinds, membership kinds) of the group and of all
        its members is resolved before the member individuals are created, so
        an unknown one fails the request before anything is written.
        """
        with self._unknown_reference_as_user_error():
            vals = registrant_vals.group_vals(group_info, self._group_kind_lookup)
        self._add_ids_and_phones(vals, group_info)

        members = []
        for index, member in enumerate(group_info.members):
            path = f"members[{index}]"
            member_vals = self.with_context(
                **{FIELD_PATH_CONTEXT_KEY: path}
            )._process_individual(member)
            with self._unknown_reference_as_user_error():
                kind_ids = registrant_vals.membership_kind_ids(
                    member.kind,
                    self._membership_kind_lookup,
                    field_path(path, "kind"),
                )
            members.append((member_vals, kind_ids))
        # each registrant's IDs are checked on their own: check across them
        id_keys = registrant_vals.reg_id_keys(vals.get("reg_ids", []), "ids")
        for index, (member_vals, _kind_ids) in enumerate(members):
            id_keys += registrant_vals.reg_id_keys(
                member_vals.get("reg_ids", []), f"members[{index}].ids"
            )
        self._check_ids_are_new(id_keys)

        partners = self.env["res.partner"].sudo()
        vals["group_membership_ids"] = [
            (0, 0, registrant_vals.membership_vals(partners.create(mv).id, kind_ids))
            for mv, kind_ids in members
        ]
        return vals

    def _group_kind_lookup(self, name):
        return self._lookup_by_name("g2p.group.kind", name)

    def _membership_kind_lookup(self, name):
        return self._lookup_by_name("g2p.group.membership.kind", name)
