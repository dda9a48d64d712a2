"""Who may call the registry app, in its own words (pure: no Odoo).

Reading (``GET``, ``HEAD``, ``OPTIONS``) needs upstream's group *Rest API
GET*, writing (``POST``, ``PUT``, ``PATCH``, ``DELETE``) its group *Rest API
POST*; portal and public users never get in, whatever groups they hold.
"""

READ_GROUP = "g2p_registry_rest_api.group_g2p_rest_api_get"
WRITE_GROUP = "g2p_registry_rest_api.group_g2p_rest_api_post"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

NOT_AUTHENTICATED = "Not authenticated"
BAD_CREDENTIALS = "Incorrect username or password"
SHARE_USER_REFUSED = (
    "Portal and public users cannot use the registry API: it needs an internal "
    "user with the group Rest API GET (reading) or Rest API POST (writing)"
)

TITLE = "OpenSPP Registry API"
DESCRIPTION = (
    "Registration systems create individuals and groups with their programme "
    "memberships, and read, change and end those memberships.\n\n"
    "**Authentication**: HTTP Basic with an Odoo login and either an API key "
    "(recommended: created in the user's preferences, *Account Security*, "
    "revocable one by one) or the user's password. Reading needs the group "
    "*Rest API GET*, writing (POST, PUT, PATCH, DELETE) *Rest API POST*; "
    "portal and public users are refused. Without credentials, or with wrong "
    "ones: 401; without the group needed: 403 naming it."
)


def is_write(method):
    """Whether ``method`` changes data (anything but GET, HEAD, OPTIONS)."""
    return method.upper() not in READ_METHODS


def required_group(method):
    """The group (XML id) a login needs for a request with ``method``."""
    return WRITE_GROUP if is_write(method) else READ_GROUP


def missing_group_detail(method, group_name):
    """The 403's ``detail`` for a login without the group ``method`` needs."""
    action = "writing to" if is_write(method) else "reading"
    return (
        f"Forbidden: {action} the registry needs the group {group_name} "
        f"({required_group(method)})"
    )
