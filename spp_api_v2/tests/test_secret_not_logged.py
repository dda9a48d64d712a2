import logging

from .common import TOKEN_URL, SppApiV2Case


class TestSecretNotLogged(SppApiV2Case):
    """A token request's client secret, right or wrong, in the form body or
    over HTTP Basic, appears in no log record at any level (message,
    arguments, traceback), whatever the request's outcome."""

    def test_a_token_request_never_logs_the_secret(self):
        wrong = self.secret[:-4] + "ZZZZ"
        client_id = self.api_client.client_id
        root = logging.getLogger()
        previous = root.level
        root.setLevel(logging.DEBUG)
        try:
            with self.assertLogs(level=logging.DEBUG) as logs, self._http() as http:
                answers = [
                    http.post(
                        TOKEN_URL,
                        data={"grant_type": "client_credentials", **data},
                        auth=auth,
                    ).status_code
                    for data, auth in (
                        ({"client_id": client_id, "client_secret": self.secret}, None),
                        ({"client_id": client_id, "client_secret": wrong}, None),
                        ({}, (client_id, self.secret)),
                        ({}, (client_id, wrong)),
                        ({"client_id": client_id, "client_secret": wrong * 50}, None),
                    )
                ]
        finally:
            root.setLevel(previous)
        self.assertEqual(answers, [200, 401, 200, 401, 401])
        # the log capture saw the requests (httpx logs each at INFO)
        self.assertGreaterEqual(len(logs.records), len(answers))
        for record in logs.records:
            text = record.getMessage() + repr(record.args) + str(record.exc_info)
            self.assertNotIn(self.secret, text, record.name)
            self.assertNotIn(wrong, text, record.name)
