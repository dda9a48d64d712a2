from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..services.scopes import is_valid_scope_token


class SppApiScope(models.Model):
    _name = "spp.api.scope"
    _description = "OpenSPP API scope"
    _order = "name"

    name = fields.Char(
        required=True,
        help="OAuth 2.0 scope, conventionally resource:action, e.g. entitlement:read.",
    )
    description = fields.Char(translate=True)

    _sql_constraints = [
        ("name_unique", "unique(name)", "An API scope with this name already exists."),
    ]

    @api.constrains("name")
    def _check_name(self):
        for scope in self:
            if not is_valid_scope_token(scope.name):
                raise ValidationError(
                    _(
                        "Invalid scope name %(name)r: use printable ASCII "
                        "without spaces, quotes or backslashes.",
                        name=scope.name,
                    )
                )

    def _clients_using(self):
        names = set(self.mapped("name"))
        clients = self.env["spp.api.client"].with_context(active_test=False)
        return clients.search([]).filtered(lambda c: names & set(c._scope_list()))

    def write(self, vals):
        if "name" in vals and any(s.name != vals["name"] for s in self):
            self._check_unused(
                _(
                    "API scopes %(scopes)s cannot be renamed: used by the "
                    "API clients %(clients)s."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        self._check_unused(
            _(
                "API scopes %(scopes)s cannot be deleted: used by the API "
                "clients %(clients)s."
            )
        )

    def _check_unused(self, message):
        """Refuse (``message``, naming the scopes and the clients) while an
        API client holds one of these scopes."""
        clients = self._clients_using()
        if clients:
            raise ValidationError(
                message
                % {
                    "scopes": ", ".join(self.mapped("name")),
                    "clients": ", ".join(clients.mapped("name")),
                }
            )
