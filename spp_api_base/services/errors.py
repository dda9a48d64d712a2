"""The error of a request parameter, without HTTP, Odoo or FastAPI: each app
answers it in one place (a ``400`` naming the parameter)."""


class InvalidParameter(ValueError):
    """A request parameter is malformed or unknown; ``name`` is the parameter."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message

    @property
    def detail(self):
        return parameter_detail(self.name, self.message)


def parameter_detail(name, message):
    """The ``detail`` of the 400 answered for the request parameter ``name``."""
    return f"Invalid parameter {name}: {message}"
