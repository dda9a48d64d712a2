from odoo import _, api, fields, models


class SppApiClientSecret(models.TransientModel):
    """The dialog that shows a new client secret, once.

    The secret reaches the dialog in the context of the action that opens it
    (``default_secret``) and is never stored: the dialog is only closed, never
    saved, and a record created anyway does not keep the secret.
    """

    _name = "spp.api.client.secret"
    _description = "New API client secret"

    client_id = fields.Many2one("spp.api.client", string="API client", readonly=True)
    client_identifier = fields.Char(
        related="client_id.client_id", string="Client ID", readonly=True
    )
    secret = fields.Char(
        string="Client secret",
        readonly=True,
        help="Shown this once: copy it now. Only its hash is kept.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("secret", None)
        # nor as a default from the context the dialog was opened with
        return super(
            SppApiClientSecret, self.with_context(default_secret=False)
        ).create(vals_list)

    @api.model
    def _show_action(self, client, secret):
        return {
            "type": "ir.actions.act_window",
            "name": _("New client secret"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_client_id": client.id,
                "default_secret": secret,
            },
        }
