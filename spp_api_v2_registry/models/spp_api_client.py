from odoo import fields, models

BEARER_USER = "spp_api_v2_registry.user_registry_api_client"


class SppApiClient(models.Model):
    _inherit = "spp.api.client"

    registry_user_id = fields.Many2one(
        "res.users",
        string="Registry author",
        domain=[("share", "=", False)],
        ondelete="restrict",
        help="The internal user whose name the registry's writes of this "
        "client carry (created by / last updated by). Empty: the technical "
        "user 'Registry API client (bearer token)'. Which client wrote what "
        "is in the access audit either way.",
    )

    def _registry_author(self):
        """The user id the registry's writes of this client carry."""
        self.ensure_one()
        return self.registry_user_id.id or self.env.ref(BEARER_USER).id
