import time
from datetime import UTC, datetime

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..services import client_secret, tokens
from ..services.scopes import join_scopes, split_scopes

JWT_KEY_PARAM = "spp_api_v2.jwt_secret"
MAX_TOKEN_LIFETIME = tokens.MAX_LIFETIME
# last use is written at most once per this many seconds and client
LAST_USE_RESOLUTION = 60


class SppApiClient(models.Model):
    _name = "spp.api.client"
    _description = "OpenSPP API client"
    _order = "name, id"

    name = fields.Char(required=True)
    client_id = fields.Char(
        string="Client ID",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: client_secret.new_client_id(),
    )
    secret_hash = fields.Char(
        readonly=True, copy=False, prefetch=False, groups="base.group_system"
    )
    has_secret = fields.Boolean(compute="_compute_has_secret")
    scopes = fields.Char(
        string="Scopes (text)",
        help="Space-separated OAuth 2.0 scopes the client may request, "
        "e.g. entitlement:read. Each must exist as an API scope.",
    )
    # the form's way to edit `scopes`: tags chosen among the declared scopes
    scope_ids = fields.Many2many(
        "spp.api.scope",
        string="Scopes",
        compute="_compute_scope_ids",
        inverse="_inverse_scope_ids",
        help="The OAuth 2.0 scopes the client may request, chosen among the "
        "declared API scopes (e.g. entitlement:read). Withdrawing one takes "
        "effect at once, also on tokens already issued.",
    )
    consent_exempt = fields.Boolean(
        groups="spp_api_v2.group_api_auditor",
        help="Sees the data of every registrant, consent or not (e.g. the "
        "programme's own audit system). Only API administrators can set this.",
    )
    active = fields.Boolean(default=True)
    token_lifetime = fields.Integer(
        default=3600, required=True, help="Lifetime of issued tokens, in seconds."
    )
    tokens_valid_after = fields.Datetime(
        readonly=True,
        copy=False,
        help="Tokens issued before this moment are rejected.",
    )
    token_generation = fields.Integer(
        readonly=True,
        copy=False,
        default=0,
        help="Incremented by every revocation. Tokens carry the generation they "
        "were issued in, so a token issued in the very second of a revocation "
        "is rejected too.",
    )
    last_used = fields.Datetime(
        string="Last use",
        readonly=True,
        copy=False,
        help="When the client last got a token, to the minute: recorded when "
        "a token is issued (at most once a minute), not on every API request.",
    )
    consent_config_ids = fields.Many2many(
        "spp.consent.config",
        relation="spp_api_client_consent_config_rel",
        column1="client_id",
        column2="config_id",
        string="Consent configs",
        default=lambda self: self.env.ref(
            "spp_consent.default_consent_config", raise_if_not_found=False
        ),
        help="The consents this client relies on: it sees the registrants "
        "covered by a valid consent (not expired, not withdrawn) of one of "
        "these configs. New clients rely on the default config.",
    )

    _sql_constraints = [
        ("client_id_unique", "unique(client_id)", "The client ID must be unique."),
    ]

    @api.depends("secret_hash")
    def _compute_has_secret(self):
        for client in self:
            client.has_secret = bool(client.sudo().secret_hash)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_scope_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_scope_vals(vals)
        archived = (
            self.filtered("active") if "active" in vals and not vals["active"] else None
        )
        result = super().write(vals)
        if archived:
            # for good: un-archiving does not bring the tokens back
            archived.action_revoke_tokens()
        return result

    @api.model
    def _normalize_scope_vals(self, vals):
        if vals.get("scopes"):
            vals["scopes"] = join_scopes(split_scopes(vals["scopes"]))

    @api.depends("scopes")
    def _compute_scope_ids(self):
        Scope = self.env["spp.api.scope"]
        for client in self:
            client.scope_ids = Scope.search([("name", "in", client._scope_list())])

    def _inverse_scope_ids(self):
        for client in self:
            client.scopes = join_scopes(client.scope_ids.mapped("name"))

    @api.constrains("scopes")
    def _check_scopes(self):
        known = set(self.env["spp.api.scope"].search([]).mapped("name"))
        for client in self:
            unknown = sorted(set(client._scope_list()) - known)
            if unknown:
                raise ValidationError(
                    _(
                        "Unknown API scopes on client %(client)s (field scopes): "
                        "%(scopes)s. Declare them as API scopes first.",
                        client=client.name,
                        scopes=" ".join(unknown),
                    )
                )

    @api.constrains("token_lifetime")
    def _check_token_lifetime(self):
        for client in self:
            if not 0 < client.token_lifetime <= MAX_TOKEN_LIFETIME:
                raise ValidationError(
                    _(
                        "Token lifetime of client %(client)s must be between 1 "
                        "and %(max)s seconds.",
                        client=client.name,
                        max=MAX_TOKEN_LIFETIME,
                    )
                )

    def _scope_list(self):
        self.ensure_one()
        return list(split_scopes(self.scopes))

    @api.model
    def _relying_on_configs(self, configs):
        """The clients (sudo) that see registrants through consents of
        ``configs``; consent-exempt ones see everyone and are left out."""
        return self.sudo().search(
            [
                ("consent_config_ids", "in", configs.ids),
                ("consent_exempt", "=", False),
            ]
        )

    # Secrets and revocation

    def generate_secret(self):
        """Store a new hashed secret and return the plaintext, once.

        Tokens issued with the previous secret are revoked.
        """
        self.ensure_one()
        # Whoever may edit the client may rotate its secret; the hash itself
        # is readable and writable by no user interface (groups of the field).
        self.check_access_rights("write")
        self.check_access_rule("write")
        secret = client_secret.new_client_secret()
        self.sudo().write({"secret_hash": client_secret.hash_secret(secret)})
        self.action_revoke_tokens()
        return secret

    def action_generate_secret(self):
        """Rotate the secret and show the new one, once, in a dialog."""
        secret = self.generate_secret()
        return self.env["spp.api.client.secret"]._show_action(self, secret)

    def action_revoke_tokens(self):
        """Reject every token issued to these clients until now."""
        now = fields.Datetime.now()
        for client in self:
            client.write(
                {
                    "tokens_valid_after": now,
                    "token_generation": client.token_generation + 1,
                }
            )
        return True

    # Token service, used by the routers and dependencies. They run as the
    # endpoint's technical user, which has no access to API clients: reading
    # the client that authenticates is the one thing done with sudo here.

    @api.model
    def _jwt_signing_key(self):
        """The stored key bound to this database (``tokens.database_signing_key``):
        a copy of the database (new ``database.uuid`` and ``database.secret``)
        signs and accepts other tokens than the original."""
        params = self.env["ir.config_parameter"].sudo()
        key = params.get_param(JWT_KEY_PARAM)
        if not key:
            key = tokens.new_signing_key()
            params.set_param(JWT_KEY_PARAM, key)
        return tokens.database_signing_key(
            key,
            params.get_param("database.uuid"),
            params.get_param("database.secret"),
        )

    @api.model
    def _authenticate(self, client_id, secret):
        """The active client with these credentials (sudo), else empty."""
        client = self.sudo().search([("client_id", "=", client_id)], limit=1)
        if not client_secret.verify_secret(secret, client.secret_hash or None):
            return self.browse()
        return client

    @api.model
    def _token_time(self):
        """The current POSIX time, as tokens are issued.

        The one clock of token issuance, so that tests can move it explicitly.
        (freezegun cannot: it hands out the real time to calls made within a
        few frames of ``threading``, which is where FastAPI runs the token
        route, in a worker thread.)
        """
        return time.time()

    def _issue_access_token(self, scopes):
        """Token response (RFC 6749 5.1) for the granted ``scopes``."""
        self.ensure_one()
        token, claims = tokens.encode_access_token(
            self._jwt_signing_key(),
            self.client_id,
            join_scopes(scopes),
            self.token_lifetime,
            generation=self.token_generation,
            now=self._token_time(),
        )
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": claims["exp"] - claims["iat"],
            "scope": claims["scope"],
        }

    @api.model
    def _client_from_access_token(self, token):
        """``(client (sudo), claims)`` for a valid token.

        Raises :class:`tokens.InvalidTokenError` when the token is invalid or
        expired, or its client is unknown, archived or revoked its tokens.
        """
        claims = tokens.decode_access_token(
            self._jwt_signing_key(), token, now=self._token_time()
        )
        client = self.sudo().search([("client_id", "=", claims["sub"])], limit=1)
        if not client:
            raise tokens.InvalidTokenError("Unknown or inactive client")
        if claims.get("gen", 0) != client.token_generation:
            raise tokens.InvalidTokenError("Token revoked")
        valid_after = client.tokens_valid_after
        if valid_after and claims["iat"] < int(
            valid_after.replace(tzinfo=UTC).timestamp()
        ):
            raise tokens.InvalidTokenError("Token revoked")
        return client, claims

    def _record_use(self):
        """Last use: the client got a token. At most one write a minute.

        On a connection of its own, so that two workers issuing tokens to the
        same client do not make one request fail on a concurrent update; a
        client row another transaction holds is skipped (last use is a hint).
        """
        self.ensure_one()
        now = self._token_time()
        Attempt = self.env["spp.api.token.attempt"]
        with Attempt._side_cursor() as cr:
            cr.execute(
                "UPDATE spp_api_client SET last_used = %(now)s WHERE id IN ("
                " SELECT id FROM spp_api_client WHERE id = %(id)s"
                " AND (last_used IS NULL OR last_used <= %(before)s)"
                " FOR UPDATE SKIP LOCKED)",
                {
                    "id": self.id,
                    "now": datetime.fromtimestamp(now, UTC).replace(tzinfo=None),
                    "before": datetime.fromtimestamp(
                        now - LAST_USE_RESOLUTION, UTC
                    ).replace(tzinfo=None),
                },
            )

    def _granted_scopes(self, claims):
        """Scopes of the token the client still holds."""
        self.ensure_one()
        return set(split_scopes(claims["scope"])) & set(self._scope_list())
