"""The unit directory and unit pages."""

from __future__ import annotations

from saima.org import services


def test_the_unit_directory_counts_units_by_level_in_words(client, small_province):
    client.force_login(small_province.users["viewer"])
    response = client.get("/org/units/")
    assert response.context["counts"] == [
        {"label": "省", "n": 1},
        {"label": "设区市", "n": 2},
        {"label": "县（市、区）", "n": 3},
        {"label": "乡镇（街道）", "n": 1},
    ]
    assert "淳安县</a><sup" in response.content.decode()


def test_a_unit_page_lists_its_children_and_groups(client, small_province):
    client.force_login(small_province.users["viewer"])
    page = client.get(f"/org/units/{small_province.county_a2.code}/").content.decode()
    assert "千岛湖镇" in page and "淳安县" in page


def test_the_unit_pages_need_a_login(client, small_province):
    response = client.get("/org/units/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_directory_lists_counties_without_a_stray_separator(client, small_province):
    services.unit_create(
        actor=None,
        code="T99D01",
        name="市发展改革委",
        level="department",
        parent=small_province.city_a,
    )
    client.force_login(small_province.users["viewer"])
    html = client.get("/org/units/").content.decode()
    assert "、</p>" not in html
    assert "市发展改革委" not in html  # departments are not counties
    assert "上城区</a>、<a" in html
