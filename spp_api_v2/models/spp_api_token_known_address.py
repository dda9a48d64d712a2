from odoo import fields, models

from ..services import rate_limit

# A success makes the address known (again); written at most once a minute.
_REMEMBER_SQL = """
    INSERT INTO spp_api_token_known_address AS k (client_key, address, last_success)
    VALUES (%(client)s, %(address)s, %(now)s)
    ON CONFLICT (client_key, address) DO UPDATE SET last_success = EXCLUDED.last_success
    WHERE k.last_success < EXCLUDED.last_success - interval '60 seconds'
"""


class SppApiTokenKnownAddress(models.Model):
    """Addresses that got a token of a client: the token endpoint's per-client
    limit (a storm of wrong secrets over many addresses) does not apply to
    them, so that a stranger cannot lock a client out of its own addresses.

    Written only with SQL, on the rate limit's own connection
    (``spp.api.token.attempt._side_cursor``).
    """

    _name = "spp.api.token.known.address"
    _description = "Known addresses of API clients"
    _order = "last_success desc, id desc"
    _log_access = False

    client_key = fields.Char(
        string="Client ID", required=True, readonly=True, help="As the client sent it."
    )
    address = fields.Char(required=True, readonly=True)
    last_success = fields.Datetime(
        required=True,
        readonly=True,
        help="Last token issued to this client at this address (to the minute). "
        "The address stays known for the system parameter "
        "spp_api_v2.token_known_address_days days after it.",
    )

    _sql_constraints = [
        (
            "client_address_unique",
            "unique(client_key, address)",
            "One line per client ID and address.",
        )
    ]

    def _is_known(self, cr, client_id, address, since):
        cr.execute(
            "SELECT 1 FROM spp_api_token_known_address"
            " WHERE client_key = %s AND address = %s AND last_success >= %s",
            [
                rate_limit.normalize_key(client_id),
                rate_limit.normalize_key(address or rate_limit.UNKNOWN_ADDRESS),
                since,
            ],
        )
        return bool(cr.fetchone())

    def _remember(self, cr, client_id, address, now):
        cr.execute(
            _REMEMBER_SQL,
            {
                "client": rate_limit.normalize_key(client_id),
                "address": rate_limit.normalize_key(
                    address or rate_limit.UNKNOWN_ADDRESS
                ),
                "now": now,
            },
        )

    def _forget_before(self, cr, before):
        cr.execute(
            "DELETE FROM spp_api_token_known_address WHERE last_success < %s", [before]
        )
        return cr.rowcount
