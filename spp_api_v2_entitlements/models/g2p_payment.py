from odoo import fields, models


class G2PPayment(models.Model):
    """Payments reported by payment providers over the API
    (``POST /PaymentReport``): who reported them, under which reference; and
    the index of the entitlement's payments, which the search, the lookup and
    the export read for every cash entry (its balance)."""

    _inherit = "g2p.payment"

    entitlement_id = fields.Many2one(index=True)

    api_client_id = fields.Many2one(
        "spp.api.client",
        "Reported by",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="The API client (payment provider) that reported this outcome.",
    )
    api_reference = fields.Char(
        "Provider reference",
        readonly=True,
        copy=False,
        help="The payment provider's own transaction reference.",
    )
    api_report_digest = fields.Char(
        readonly=True,
        copy=False,
        help="Digest of the reported content: a report sent again with the same "
        "reference is answered as the first time only when it is the same.",
    )
    api_outcome = fields.Json(
        readonly=True,
        copy=False,
        help="The API's answer to the report, returned again on a replay.",
    )
    failure_reason = fields.Text(
        readonly=True, copy=False, help="Why the payment failed, as reported."
    )

    _sql_constraints = [
        (
            "api_reference_unique",
            "UNIQUE(api_client_id, api_reference)",
            "A payment provider's reference identifies one payment report.",
        ),
    ]
