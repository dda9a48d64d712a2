"""The registry's trace of registrants, reported to the core API's access
audit (pure): the reporter of ``g2p_programs_rest_api``'s
``RegistrantTrace`` middleware, which sits inside the core's audit
middleware, instead of that addon's log line."""

from odoo.addons.spp_api_v2.services.audit import trail_of


class AuditReporter:
    """Registrants of a request with a caller (API client or Basic login) go
    on its audit trail, before the audit middleware writes it."""

    def wants(self, scope):
        return trail_of(scope).identified

    def report(self, scope, status, count, partner_ids):
        trail_of(scope).record(count, partner_ids)
