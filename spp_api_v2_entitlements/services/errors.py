"""The errors of the Entitlement API's rules, without HTTP, Odoo or FastAPI.

How each is answered (status and body) is decided in one place,
:mod:`..schemas.errors`.
"""


class InvalidParameter(ValueError):
    """A request parameter is malformed or unknown; ``name`` is the parameter."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message

    @property
    def detail(self):
        return f"Invalid parameter {self.name}: {self.message}"
