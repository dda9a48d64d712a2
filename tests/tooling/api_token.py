"""A bearer token of an ``spp_api_v2`` API client (OAuth 2.0 client
credentials), for the scripts that call a running API with httpx (bench,
audit bench, fuzzing, restart walk)."""

TOKEN_PATH = "/api/v2/spp/oauth/token"


def bearer_token(http, client, url=TOKEN_PATH, **request):
    """The access token of ``client`` (``client_id``, ``client_secret``).

    ``http``: the ``httpx`` module or an ``httpx.Client`` (``url`` is then
    relative to its base URL); ``request``: more arguments of the POST.
    """
    response = http.post(
        url,
        data={
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        },
        **request,
    )
    response.raise_for_status()
    return response.json()["access_token"]
