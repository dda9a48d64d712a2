from odoo import api, models
from odoo.exceptions import AccessDenied

from ..services import access


class ResUsers(models.Model):
    """The registry app's login (HTTP Basic) and access rights."""

    _inherit = "res.users"

    @api.model
    def _registry_login(self, login, secret):
        """The id of the active user ``login`` whose API key or password is
        ``secret``, else ``None``.

        A non-interactive login, as Odoo's XML-RPC: an API key (scope ``rpc``
        or global, Odoo's own) is checked first, at its own cost (an indexed
        lookup, then a short hash), so that it never pays the password's
        600,000 rounds, and a removed key stops working at once. Otherwise
        the password, through ``authenticate`` (its failed-login cooldown and
        login log), as a non-interactive login: a user whose logins need a
        second factor can only use API keys.
        """
        if not login or not secret:
            return None
        key_uid = self.env["res.users.apikeys"]._check_credentials(
            scope="rpc", key=secret
        )
        if key_uid:
            user = self.sudo().browse(key_uid)
            return key_uid if user.login == login else None
        try:
            return self.sudo().authenticate(
                self.env.cr.dbname, login, secret, {"interactive": False}
            )
        except AccessDenied:
            return None

    @api.model
    def _registry_access_error(self, uid, method):
        """Why the user ``uid`` may not make a registry request with
        ``method`` (the 403's detail), or ``None`` when they may."""
        user = self.sudo().browse(uid)
        if user.share:
            return access.SHARE_USER_REFUSED
        group = access.required_group(method)
        if user.has_group(group):
            return None
        return access.missing_group_detail(method, self.env.ref(group).sudo().name)
