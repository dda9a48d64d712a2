import base64

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.spp_api_base.tests.request_body_cases import RequestBodyCases


@tagged("post_install", "-at_install")
class TestRequestBodyLimit(RequestBodyCases, HttpCase):
    """The registry app (upstream's routes and ours): bodies over the limit
    are a 413 before they are read, deep JSON a 422 on every route that
    takes JSON (``spp_api_base``)."""

    ROOT = "/api/v1/registry"
    SMALL_ROUTE = "/individual"
    CREDENTIALS_REACH_THE_APP = False

    def credentials(self):
        login, password = "body_limit_clerk", "body-limit-clerk-password"
        if not self.env["res.users"].search([("login", "=", login)]):
            new_test_user(
                self.env, login=login, password=password, groups="base.group_user"
            )
        return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()
