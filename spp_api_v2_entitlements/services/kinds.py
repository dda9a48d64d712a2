"""The two kinds of entitlement the API serves, in merge order."""

CASH = "cash"
INKIND = "inkind"
KINDS = (CASH, INKIND)
KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
