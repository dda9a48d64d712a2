"""The envelope of the change feeds' keyset cursors, without Odoo: a position
(the sort key of the last entry served, as JSON values) sealed
(:mod:`.signed_token`) with the version of the cursor format (``"v"``) and the
fingerprint of the filters it was issued for (``"f"``). A cursor that is not
ours, of another format or version, or issued for other filters is an invalid
``_cursor`` parameter. Used by the entitlement feeds and the membership feeds.
"""

import hmac

from .errors import InvalidParameter
from .signed_token import EXPIRED, InvalidToken, seal, unseal

CURSOR = "_cursor"


def seal_cursor(key, position, issued_for, *, version, purpose=b""):
    """The cursor of ``position`` (a dict of JSON values) for the filters of
    the fingerprint ``issued_for``."""
    return seal(key, {"v": version, **position, "f": issued_for}, purpose)


def open_cursor(key, cursor, issued_for, read, *, version, other_filters, purpose=b""):
    """What ``read`` makes of the payload of ``cursor``, a cursor of
    ``version`` issued for ``issued_for``; :class:`InvalidParameter` naming
    ``_cursor`` otherwise (``other_filters``: its message for a cursor issued
    for other filters).

    ``read`` raises ``ValueError``, ``KeyError`` or ``TypeError`` for a
    payload it does not take: signed by us but unreadable, it was issued by an
    incompatible version.
    """
    try:
        payload = unseal(key, cursor, purpose)
    except InvalidToken as error:
        raise InvalidParameter(CURSOR, error.message) from None
    try:
        if payload["v"] != version:
            raise ValueError("version")
        position = read(payload)
        fingerprint = str(payload["f"])
    except (ValueError, KeyError, TypeError):
        raise InvalidParameter(CURSOR, EXPIRED) from None
    if not hmac.compare_digest(fingerprint, issued_for):
        raise InvalidParameter(CURSOR, other_filters)
    return position
