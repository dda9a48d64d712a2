"""``spp_api_base/services/client_errors.py``: a client's mistake is one
INFO line without traceback, a server error is left to Odoo (ERROR with traceback)."""

import asyncio
import logging

import pytest
from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError

from odoo.addons.spp_api_base.services.client_errors import (
    LogClientErrors,
    summary,
)

LOGGER = "odoo.addons.spp_api_base.services.client_errors"


def _status(exc):
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, RequestValidationError):
        return 422
    return 500


def _run(exc):
    async def app(scope, receive, send):
        raise exc

    scope = {
        "type": "http",
        "method": "PATCH",
        "root_path": "/api/v1/registry",
        "path": "/api/v1/registry/program_membership/7",
    }
    with pytest.raises(type(exc)):
        asyncio.run(LogClientErrors(app, _status)(scope, None, None))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 409, 412, 413, 422])
def test_client_error_is_one_info_line_and_quiet_for_odoo(status, caplog):
    exc = HTTPException(status, detail="Not authenticated")
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        _run(exc)
    records = [r for r in caplog.records if r.name == LOGGER]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    assert records[0].exc_info is None
    assert records[0].getMessage() == (
        f"PATCH /api/v1/registry/program_membership/7: {status} Not authenticated"
    )
    # odoo.http logs an exception with a loglevel at that level, no traceback
    assert exc.loglevel == logging.DEBUG


def test_an_exception_with_its_own_loglevel_is_left_to_odoo(caplog):
    exc = HTTPException(400, detail="Invalid parameter sate")
    exc.loglevel = logging.INFO
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        _run(exc)
    assert not [r for r in caplog.records if r.name == LOGGER]
    assert exc.loglevel == logging.INFO


def test_server_error_is_left_to_odoo(caplog):
    exc = RuntimeError("boom")
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        _run(exc)
    assert not [r for r in caplog.records if r.name == LOGGER]
    assert not hasattr(exc, "loglevel")


def test_validation_errors_are_summarised_without_their_input():
    exc = RequestValidationError(
        [
            {
                "type": "enum",
                "loc": ("body", "state"),
                "msg": "Input should be 'draft' or 'enrolled'",
                "input": "secret-looking value",
            }
        ]
    )
    text = summary(exc)
    assert text == "body.state: Input should be 'draft' or 'enrolled'"
    assert "secret" not in text
