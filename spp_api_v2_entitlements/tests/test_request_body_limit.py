from odoo.tests import HttpCase, tagged

from odoo.addons.spp_api_base.tests.request_body_cases import LIMIT, RequestBodyCases

ROOT = "/api/v2/spp"


@tagged("post_install", "-at_install")
class TestRequestBodyLimit(RequestBodyCases, HttpCase):
    """The ``/api/v2/spp`` app (the core's token endpoint and this addon's
    routes): bodies over the limit are a 413 before they are read, deep JSON
    a 422 on every route that takes JSON (``spp_api_base``)."""

    ROOT = ROOT
    SMALL_ROUTE = "/PaymentReport"

    def credentials(self):
        client = self.env["spp.api.client"].create(
            {
                "name": "Body limit test",
                "scopes": "entitlement:read entitlement:write",
            }
        )
        token = self.url_open(
            f"{ROOT}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client.client_id,
                "client_secret": client.generate_secret(),
            },
        )
        self.assertEqual(token.status_code, 200, token.text)
        return f"Bearer {token.json()['access_token']}"

    def test_the_token_endpoint_form_is_bounded_too(self):
        status, body = self._exchange(
            f"{ROOT}/oauth/token",
            [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {4 * LIMIT}",
            ],
            [b"grant_type=client_credentials&client_id=" + b"x" * 1024],
        )
        self.assert_too_large(status, body)
