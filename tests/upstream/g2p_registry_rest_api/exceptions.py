from odoo.exceptions import UserError


class RegistrantIDConflict(UserError):
    """An ID of the request is already registered, or given twice (the pair ID
    type + value designates one registrant). The routers answer 409."""
