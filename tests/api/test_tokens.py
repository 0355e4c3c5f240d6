"""Tokens: stored as a hash, shown once, scoped to their user's current grants, expiring,
revocable by their owner or an organiser over the unit, audited, counted and throttled."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from saima.api import services
from saima.api.models import ApiToken
from saima.core.models import AuditEvent
from saima.core.workflow import ActionForbidden
from saima.org import services as org_services
from saima.org.models import Role, RoleGrant
from tests.api.conftest import Api, report_path
from tests.factories import user_with_role


def _token(plaintext: str) -> ApiToken:
    return ApiToken.objects.get(prefix=plaintext.split("_")[1])


def test_only_the_hash_is_stored_and_the_prefix_finds_it(world, db):
    plaintext = world.tokens["reporter"]
    token = _token(plaintext)
    assert token.secret_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    secret = plaintext.split("_", 2)[2]
    assert len(secret) >= 43  # 32 random bytes in URL-safe base64: 256 bits
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    event = AuditEvent.objects.get(action="api.token.create", object_id=str(token.pk))
    assert secret not in str(event.after) and event.after["prefix"] == token.prefix


def test_a_token_with_the_right_prefix_and_a_wrong_secret_is_refused(api, world):
    plaintext = world.tokens["reporter"]
    forged = plaintext[:-4] + ("AAAA" if not plaintext.endswith("AAAA") else "BBBB")
    assert Api(forged).get("/units").status_code == 401
    assert _token(plaintext).use_count == 0


@pytest.mark.parametrize("header", ["Basic dXNlcjpwdw==", "Bearer", "Token x", "bearer  "])
def test_any_other_authorization_header_is_refused_not_ignored(api, world, header):
    client = Api()
    client.headers["Authorization"] = header
    response = client.get("/races")  # public: a bad header still must not pass as anonymous
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_loses_what_its_user_loses(api, world):
    s = world.s
    path = report_path(s.open_period, s.unit_a)
    assert api("reporter").get(path).status_code == 200
    grant = RoleGrant.objects.get(user=s.users["reporter_a"], role=Role.REPORTER)
    org_services.role_revoke(actor=None, grant=grant)
    assert api("reporter").get(path).status_code == 404
    user = s.users["organiser_a"]
    user.is_active = False
    user.save()
    assert api("organiser").get("/units").status_code == 401


def test_superuser_status_is_never_carried_by_a_token(world, db):
    root = user_with_role("superuser", None, "root2")
    with pytest.raises(ActionForbidden):
        services.token_create(
            actor=root, unit=world.s.city_a, roles=[Role.ORGANISER], name="x", days=1
        )


def test_a_token_may_carry_only_roles_held_over_its_unit(world, db):
    s = world.s
    with pytest.raises(ActionForbidden):
        services.token_create(
            actor=s.users["reporter_a"], unit=s.city_a, roles=[Role.REPORTER], name="x", days=1
        )
    with pytest.raises(ActionForbidden):
        services.token_create(
            actor=s.users["reporter_a"], unit=s.unit_a, roles=[Role.ORGANISER], name="x", days=1
        )
    with pytest.raises(services.TokenRefused):
        services.token_create(
            actor=s.users["reporter_a"], unit=s.unit_a, roles=[Role.REPORTER], name="x", days=400
        )


def test_throttling_answers_429_with_retry_after(api, world, settings):
    settings.API_RATE_PER_TOKEN = 2
    client = api("reporter")
    assert [client.get("/races").status_code for _ in range(3)] == [200, 200, 429]
    response = client.get("/races")
    assert response.json()["errors"][0]["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1
    assert api("organiser").get("/races").status_code == 200  # another token has its own count


# ---------------------------------------------------------------- the token pages


def test_a_reporter_creates_a_token_and_sees_it_once(client, world, db):
    s = world.s
    client.force_login(s.users["reporter_a"])
    response = client.post(
        reverse("api:token_new"),
        {"name": "统计报送系统", "unit": s.unit_a.code, "roles": [Role.REPORTER], "days": 90},
    )
    assert response.status_code == 200
    plaintext = response.context["issued"].plaintext
    assert plaintext in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    listing = client.get(reverse("api:tokens")).content.decode()
    assert _token(plaintext).prefix in listing and plaintext not in listing
    assert Api(plaintext).get(report_path(s.open_period, s.unit_a)).status_code == 200


def test_the_form_refuses_roles_not_held_in_the_unit(client, world, db):
    s = world.s
    client.force_login(s.users["organiser_a"])
    response = client.post(
        reverse("api:token_new"),
        {"name": "x", "unit": s.unit_a.code, "roles": [Role.REPORTER], "days": 30},
    )
    assert response.status_code == 200 and "issued" not in response.context
    assert response.context["form"].errors["roles"]


def test_the_owner_and_an_organiser_over_the_unit_revoke_others_cannot(client, world, db):
    s = world.s
    token = _token(world.tokens["reporter"])
    url = reverse("api:token_revoke", args=[token.pk])
    client.force_login(s.users["organiser_b"])
    assert client.post(url).status_code == 404
    client.force_login(s.users["organiser_a"])
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == s.users["organiser_a"]
    assert AuditEvent.objects.filter(action="api.token.revoke", object_id=str(token.pk)).exists()
    assert Api(world.tokens["reporter"]).get("/units").status_code == 401


def test_users_without_a_role_have_no_token_page(client, world, db):
    client.force_login(world.s.users["nobody"])
    assert client.get(reverse("api:tokens")).status_code == 403
    assert client.get(reverse("api:token_new")).status_code == 403


def test_the_documentation_page_is_served_from_this_host(client, db):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert schema["components"]["securitySchemes"]


def test_the_admin_lists_tokens_without_their_hash_and_revokes_through_the_service(
    client, world, db
):
    root = user_with_role("superuser", None, "root3")
    client.force_login(root)
    token = _token(world.tokens["reporter"])
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert token.prefix in page and token.secret_hash not in page
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == root
    assert AuditEvent.objects.filter(action="api.token.revoke", object_id=str(token.pk)).exists()
