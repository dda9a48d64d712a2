from odoo import models
from odoo.tools import create_index


class G2PProgramMembership(models.Model):
    _inherit = "g2p.program_membership"

    def unlink(self):
        # A client that copied a membership learns that it is gone from
        # GET /program_membership/deleted (models/program_membership_deletion.py).
        self.env["g2p.program_membership.deletion"]._record(self)
        return super().unlink()

    def init(self):
        res = super().init()
        # the change feed's order (GET /program_membership): keyset pages
        # are index range scans at any depth
        create_index(
            self.env.cr,
            "g2p_program_membership_write_date_id_idx",
            self._table,
            ["write_date", "id"],
        )
        # whether a programme has members (upstream_fixes.G2PProgram): an
        # index lookup, not a scan of every membership
        create_index(
            self.env.cr,
            "g2p_program_membership_program_id_idx",
            self._table,
            ["program_id"],
        )
        return res
