from odoo import fields, models


class G2PProgramMembership(models.Model):
    _inherit = "g2p.program_membership"

    # Upstream computes the date from the state only (now, whenever the
    # membership becomes enrolled) and, the field being read-only, overwrites
    # a date given in the same create or write. Editable, a given date is kept;
    # without one, enrolling still stamps now.
    enrollment_date = fields.Datetime(readonly=False)

    def unlink(self):
        # A client that copied a membership learns that it is gone from
        # GET /program_membership/deleted (models/program_membership_deletion.py).
        self.env["g2p.program_membership.deletion"]._record(self)
        return super().unlink()
