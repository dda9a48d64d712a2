"""The flows of tests/clients/run_generated_clients.py, with the generated
clients only (run inside the venv that has them)."""

import base64
import time

from registry_client import Client as RegistryClient
from registry_client.api.individual import create_individual
from registry_client.api.program_membership import (
    create_program_membership,
    delete_program_membership,
    read_program_membership,
    search_program_memberships,
    update_program_membership,
)
from registry_client.models import (
    ErrorResponse as RegistryError,
)
from registry_client.models import (
    IndividualInfoRequest,
    ProgramMembershipCreate,
    ProgramMembershipCreateState,
    ProgramMembershipOut,
    ProgramMembershipUpdate,
    RegistrantIDRequest,
)
from spp_api_v2_client import AuthenticatedClient, Client
from spp_api_v2_client.api.entitlement import read_entitlement, search_entitlements
from spp_api_v2_client.api.o_auth_2_0 import request_token
from spp_api_v2_client.models import (
    AuthErrorResponse,
    BodyRequestToken,
    ErrorResponse,
    OAuthErrorResponse,
    TokenResponse,
)

PAGE_SIZE = 7
# a programme of the demo for individuals (tests/demo/seed_demo.py)
INDIVIDUAL_PROGRAMME = "Cash Transfer 2026"
ID_TYPE = "National ID"

failures = []


def check(what, condition, detail=""):
    print(
        f"  {'ok  ' if condition else 'FAIL'} {what}{': ' + detail if detail else ''}"
    )
    if not condition:
        failures.append(what)


def entitlements(base_url, creds):
    api = f"{base_url}/api/v2/spp"
    provider = creds["payment_provider"]
    print(f"spp_api_v2_client against {api}")
    grant = BodyRequestToken(grant_type="client_credentials")
    secret = f"{provider['client_id']}:{provider['client_secret']}"
    basic = AuthenticatedClient(
        base_url=api, token=base64.b64encode(secret.encode()).decode(), prefix="Basic"
    )
    token = request_token.sync(client=basic, body=grant)
    check(
        "requestToken (HTTP Basic) -> TokenResponse",
        isinstance(token, TokenResponse),
        f"token_type={getattr(token, 'token_type', None)} "
        f"expires_in={getattr(token, 'expires_in', None)} "
        f"scope={getattr(token, 'scope', None)!r}",
    )
    form = request_token.sync(
        client=Client(base_url=api),
        body=BodyRequestToken(
            grant_type="client_credentials",
            client_id=provider["client_id"],
            client_secret=provider["client_secret"],
        ),
    )
    check("requestToken (form body) -> TokenResponse", isinstance(form, TokenResponse))
    wrong = request_token.sync_detailed(
        client=Client(base_url=api),
        body=BodyRequestToken(
            grant_type="client_credentials",
            client_id=provider["client_id"],
            client_secret="wrong",
        ),
    )
    check(
        "requestToken (wrong secret) -> 401 OAuthErrorResponse",
        wrong.status_code == 401 and isinstance(wrong.parsed, OAuthErrorResponse),
        f"error={getattr(wrong.parsed, 'error', None)}",
    )

    client = AuthenticatedClient(base_url=api, token=token.access_token)
    codes, pages, cursor, total = [], 0, None, None
    while True:
        kwargs = {"field_count": PAGE_SIZE}
        if cursor:
            kwargs["field_cursor"] = cursor
        page = search_entitlements.sync_detailed(client=client, **kwargs)
        if page.status_code != 200:
            check(
                f"searchEntitlements page {pages + 1}",
                False,
                f"{page.status_code} {page.content[:200]!r}",
            )
            break
        result = page.parsed
        pages += 1
        if pages == 1:
            total = result.total
        codes += [entry.code for entry in result.entries]
        kinds = sorted({entry.entitlement_type for entry in result.entries})
        print(
            f"    page {pages}: count={result.count} total={result.total} "
            f"kinds={','.join(str(k) for k in kinds)} "
            f"next={'yes' if result.next_ else 'null'}"
        )
        cursor = result.next_
        if not cursor:
            break
    check(
        f"searchEntitlements by next: {len(codes)} entitlements in {pages} pages",
        total == len(codes) == len(set(codes)) and pages > 1,
        f"first page total={total}, distinct codes={len(set(codes))}",
    )
    read = [read_entitlement.sync_detailed(code=code, client=client) for code in codes]
    check(
        f"readEntitlement of each of the {len(codes)}",
        all(
            r.status_code == 200 and r.parsed.code == c and r.headers.get("etag")
            for r, c in zip(read, codes, strict=True)
        ),
        f"{sum(type(r.parsed).__name__ == 'CashEntitlement' for r in read)} cash, "
        f"{sum(type(r.parsed).__name__ == 'InKindEntitlement' for r in read)} "
        "in-kind, each with an ETag",
    )
    etag = read[0].headers.get("etag")
    unchanged = read_entitlement.sync_detailed(
        code=codes[0], client=client, if_none_match=etag
    )
    check(
        "readEntitlement with its ETag in If-None-Match -> 304",
        unchanged.status_code == 304 and unchanged.headers.get("etag") == etag,
        f"{unchanged.status_code} {unchanged.content[:100]!r}",
    )
    wanted = codes[:3]
    by_code = search_entitlements.sync_detailed(
        client=client, code=",".join([*wanted, "no-such-code"]), field_count=PAGE_SIZE
    )
    check(
        "searchEntitlements by code (3 known, 1 unknown) -> the 3",
        by_code.status_code == 200
        and sorted(e.code for e in by_code.parsed.entries) == sorted(wanted),
        f"{by_code.status_code}",
    )
    missing = read_entitlement.sync_detailed(code="no-such-code", client=client)
    check(
        "readEntitlement (unknown code) -> 404 ErrorResponse",
        missing.status_code == 404 and isinstance(missing.parsed, ErrorResponse),
        repr(getattr(missing.parsed, "detail", None)),
    )
    bad = search_entitlements.sync_detailed(
        client=AuthenticatedClient(base_url=api, token="not-a-token")
    )
    check(
        "searchEntitlements (bad token) -> 401 AuthErrorResponse",
        bad.status_code == 401 and isinstance(bad.parsed, AuthErrorResponse),
        repr(getattr(bad.parsed, "detail", None)),
    )


def registry(base_url, creds):
    api = f"{base_url}/api/v1/registry"
    user = creds["registry_user"]
    print(f"registry_client against {api}")
    client = RegistryClient(
        base_url=api, httpx_args={"auth": (user["login"], user["password"])}
    )
    nid = f"NID-CLIENT-{int(time.time())}"
    person = create_individual.sync_detailed(
        client=client,
        body=IndividualInfoRequest(
            name="CLIENT, Generated",
            given_name="Generated",
            family_name="CLIENT",
            gender="Female",
            birth_place=None,
            ids=[RegistrantIDRequest(id_type=ID_TYPE, value=nid)],
        ),
    )
    check("createIndividual", person.status_code == 200, f"{ID_TYPE}|{nid}")
    registrant = f"{ID_TYPE}|{nid}"

    created = create_program_membership.sync_detailed(
        client=client,
        body=ProgramMembershipCreate(
            registrant=registrant,
            program=INDIVIDUAL_PROGRAMME,
            state=ProgramMembershipCreateState.DRAFT,
        ),
    )
    membership = created.parsed
    check(
        "createProgramMembership -> 201 with Location and ETag",
        created.status_code == 201
        and isinstance(membership, ProgramMembershipOut)
        and created.headers.get("location", "").endswith(
            f"/program_membership/{membership.id}"
        )
        and bool(created.headers.get("etag")),
        f"Location={created.headers.get('location')} "
        f"state={getattr(membership, 'state', None)}",
    )
    again = create_program_membership.sync_detailed(
        client=client,
        body=ProgramMembershipCreate(
            registrant=registrant, program=INDIVIDUAL_PROGRAMME
        ),
    )
    check(
        "createProgramMembership (same again) -> 409 ErrorResponse",
        again.status_code == 409 and isinstance(again.parsed, RegistryError),
    )

    read = read_program_membership.sync_detailed(membership.id, client=client)
    etag = read.headers.get("etag")
    check(
        "readProgramMembership -> 200 with ETag",
        read.status_code == 200 and bool(etag),
        etag,
    )
    changed = update_program_membership.sync_detailed(
        membership.id,
        client=client,
        body=ProgramMembershipUpdate.from_dict(
            {"state": "enrolled", "enrollment_date": "2026-01-05"}
        ),
        if_match=etag,
    )
    new_etag = changed.headers.get("etag")
    check(
        "updateProgramMembership with If-Match -> 200, new ETag",
        changed.status_code == 200
        and changed.parsed.state == "enrolled"
        and new_etag != etag,
        f"state={getattr(changed.parsed, 'state', None)} ETag {etag} -> {new_etag}",
    )
    stale = update_program_membership.sync_detailed(
        membership.id,
        client=client,
        body=ProgramMembershipUpdate.from_dict({"state": "paused"}),
        if_match=etag,
    )
    check(
        "updateProgramMembership with the stale ETag -> 412 ErrorResponse",
        stale.status_code == 412 and isinstance(stale.parsed, RegistryError),
    )
    after = read_program_membership.sync(membership.id, client=client)
    check(
        "  ... and nothing changed", after.state == "enrolled", f"state={after.state}"
    )
    found = search_program_memberships.sync_detailed(
        client=client, registrant=registrant
    )
    check(
        "searchProgramMemberships by registrant",
        found.status_code == 200 and [m.id for m in found.parsed] == [membership.id],
        f"X-Total-Count={found.headers.get('x-total-count')}",
    )
    deleted = delete_program_membership.sync_detailed(
        membership.id, client=client, if_match=new_etag
    )
    check("deleteProgramMembership with If-Match -> 204", deleted.status_code == 204)
    gone = read_program_membership.sync_detailed(membership.id, client=client)
    check(
        "readProgramMembership after delete -> 404 ErrorResponse",
        gone.status_code == 404 and isinstance(gone.parsed, RegistryError),
    )


def run_flows(base_url, creds):
    entitlements(base_url, creds)
    registry(base_url, creds)
    print(f"{'FAILED: ' + ', '.join(failures) if failures else 'all flows passed'}")
    return 1 if failures else 0
