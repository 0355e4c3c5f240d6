"""The permission matrix: every predicate of saima.projects.permissions × every kind of user,
own and other unit; then every view of the app as those users (403/404, never data)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from saima.projects import permissions as perms

USERS = [
    "anonymous",
    "nobody",
    "organiser_a",
    "reporter_a",
    "reporter_a2",
    "viewer_a",
    "discipline_a",
    "organiser_b",
    "reporter_b",
    "superuser",
]


def _user(world, name):
    return AnonymousUser() if name == "anonymous" else world.users[name]


# predicate → (object from the samples, users that pass)
MATRIX = {
    "may_manage_list": (lambda s: s.plist, {"organiser_a", "superuser"}),
    "may_view_list": (
        lambda s: s.quiet_list,
        {"organiser_a", "viewer_a", "discipline_a", "superuser"},
    ),
    "may_watch_list": (lambda s: s.plist, {"organiser_a", "viewer_a", "discipline_a", "superuser"}),
    "may_view_project": (
        lambda s: s.project,
        {"organiser_a", "reporter_a", "viewer_a", "discipline_a", "superuser"},
    ),
    "may_report": (lambda s: s.project, {"organiser_a", "reporter_a", "superuser"}),
    "may_edit_report": (lambda s: s.draft, {"organiser_a", "reporter_a", "superuser"}),
    "may_correct_report": (lambda s: s.report, {"organiser_a", "superuser"}),
    "may_see_problems": (
        lambda s: s.report,
        {"organiser_a", "reporter_a", "viewer_a", "discipline_a", "superuser"},
    ),
    "may_view_photo": (
        lambda s: s.photo,
        {"organiser_a", "reporter_a", "viewer_a", "discipline_a", "superuser"},
    ),
    "may_import_reports": (
        lambda s: s.plist,
        {"organiser_a", "reporter_a", "reporter_a2", "superuser"},
    ),
}


@pytest.mark.parametrize("predicate", sorted(MATRIX))
def test_each_predicate_admits_exactly_its_users(world, predicate):
    target, admitted = MATRIX[predicate]
    obj = target(world.samples)
    check = getattr(perms, predicate)
    got = {name for name in USERS if check(_user(world, name), obj)}
    assert got == admitted


def test_a_public_photo_of_a_published_list_is_public_unless_the_site_is_private(world):
    photo = world.samples.public_photo
    assert perms.may_view_photo(AnonymousUser(), photo)
    project = photo.report.project
    project.site_private = True
    project.save()
    photo.report.project.refresh_from_db()
    assert not perms.may_view_photo(AnonymousUser(), photo)


def test_the_other_county_reporter_sees_its_own_project_only(world):
    reporter = world.users["reporter_a2"]
    assert perms.may_report(reporter, world.samples.other_project)
    assert not perms.may_view_project(reporter, world.samples.project)


# ---------------------------------------------------------------- every view as every user


def _views(s):
    p = s.project
    return {
        "list_new": (reverse("projects:list_new"), {"organiser_a", "organiser_b", "superuser"}),
        "list_quiet": (
            reverse("projects:list", args=[s.quiet_list.code]),
            {"organiser_a", "viewer_a", "discipline_a", "superuser"},
        ),
        "board": (
            reverse("projects:board", args=[s.plist.code]),
            {"organiser_a", "viewer_a", "discipline_a", "superuser"},
        ),
        "project_quiet": (
            reverse("projects:project", args=[s.quiet_project.code]),
            {"organiser_a", "reporter_a", "viewer_a", "discipline_a", "superuser"},
        ),
        "report": (
            reverse("projects:report", args=[p.code, 2026, 1]),
            {"organiser_a", "reporter_a", "viewer_a", "discipline_a", "superuser"},
        ),
        "photo": (
            reverse("projects:photo", args=[s.photo.pk]),
            {"organiser_a", "reporter_a", "viewer_a", "discipline_a", "superuser"},
        ),
        "import_projects": (
            reverse("projects:import_new", args=[s.plist.code, "projects"]),
            {"organiser_a", "superuser"},
        ),
        "import_reports": (
            reverse("projects:import_new", args=[s.plist.code, "reports"]),
            {"organiser_a", "reporter_a", "reporter_a2", "superuser"},
        ),
        "template": (
            reverse("projects:import_template", args=[s.plist.code, "projects", "csv"]),
            {"organiser_a", "superuser"},
        ),
        "import": (reverse("projects:import", args=[s.batch.pk]), {"organiser_a", "superuser"}),
        "project_edit": (
            reverse("projects:project_edit", args=[p.code]),
            {"organiser_a", "superuser"},
        ),
    }


@pytest.mark.parametrize("user", USERS)
def test_every_view_answers_each_user_as_the_matrix_says(world, client, user):
    if user != "anonymous":
        client.force_login(world.users[user])
    for name, (url, admitted) in _views(world.samples).items():
        response = client.get(url)
        if user in admitted:
            assert response.status_code == 200, (name, user, response.status_code)
        elif user == "anonymous":
            assert response.status_code in (302, 404), (name, response.status_code)
        else:
            assert response.status_code in (403, 404), (name, user, response.status_code)
