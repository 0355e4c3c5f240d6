"""Pages: ownership of every object view, the reporting and verification flows, public boards,
exports, and a leaderboard whose query count does not grow with the number of units."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from saima.core.models import ImportStatus
from saima.races.models import Evidence, Objection, ReportStatus
from saima.races.objections import services as objection_services
from saima.races.reporting import services as reporting
from tests.races.conftest import VALUES


def _login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


# ---------------------------------------------------------------- ownership


@pytest.mark.parametrize(
    "role, status",
    [
        ("reporter", 200),
        ("organiser", 200),
        ("viewer", 200),
        ("reporter_other", 404),
        ("organiser_other", 404),
        ("nobody", 404),
    ],
)
def test_a_report_page_is_seen_only_by_those_who_may_see_the_units_data(
    client, world, role, status
):
    period = world.period()
    response = _login(client, world, role).get(
        reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    )
    assert response.status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_report(client, world):
    period = world.period()
    response = client.get(reverse("races:report", args=[period.pk, world.counties["上城区"].code]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_county_reporter_cannot_post_values_for_another_county(client, world):
    period = world.period()
    url = reverse("races:report", args=[period.pk, world.counties["淳安县"].code])
    response = _login(client, world, "reporter").post(
        url, {"fai": "1", "projects": "1", "snails": "0", "submit": "1"}
    )
    assert response.status_code == 404
    assert world.report(period, "淳安县").status == ReportStatus.NOT_STARTED


def test_a_viewer_may_read_but_not_post_a_report(client, world):
    period = world.period()
    url = reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    response = _login(client, world, "viewer").post(
        url, {"fai": "1", "projects": "1", "snails": "0", "save": "1"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "role, status",
    [("organiser", 200), ("reporter", 403), ("viewer", 403), ("organiser_other", 404)],
)
def test_the_review_page_is_for_the_races_organisers(client, world, role, status):
    period = world.period()
    response = _login(client, world, role).get(
        reverse("races:review", args=[period.pk, world.counties["上城区"].code])
    )
    assert response.status_code == status


@pytest.mark.parametrize("name", ["period", "import_new"])
@pytest.mark.parametrize(
    "role, status", [("organiser", 200), ("reporter", 403), ("organiser_other", 403)]
)
def test_organiser_pages_refuse_everyone_else(client, world, name, role, status):
    period = world.period()
    assert (
        _login(client, world, role).get(reverse(f"races:{name}", args=[period.pk])).status_code
        == status
    )


@pytest.mark.parametrize(
    "role, status", [("organiser", 302), ("reporter", 403), ("organiser_other", 403)]
)
def test_only_the_organiser_may_close_a_period(client, world, role, status):
    period = world.period()
    response = _login(client, world, role).post(
        reverse("races:period_action", args=[period.pk, "close"])
    )
    assert response.status_code == status


def test_evidence_is_downloaded_only_by_those_who_may_see_the_report(client, world):
    period = world.period()
    report = world.report(period, "上城区")
    evidence = reporting.evidence_add(
        actor=world.users["reporter"],
        report=report,
        upload=SimpleUploadedFile("../../快报.pdf", b"%PDF-1.4 data"),
    )
    assert evidence.name == "快报.pdf"
    url = reverse("races:evidence", args=[evidence.pk])
    response = _login(client, world, "reporter").get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 data"
    assert "filename*=utf-8''%E5%BF%AB%E6%8A%A5.pdf" in response["Content-Disposition"]
    client.logout()
    assert _login(client, world, "reporter_other").get(url).status_code == 404


def test_an_import_page_is_not_shown_to_other_organisers(
    client, world, django_capture_on_commit_callbacks
):
    from saima.races.reporting import imports

    period = world.period()
    with django_capture_on_commit_callbacks(execute=True):
        batch = imports.import_start(
            actor=world.users["organiser"],
            period=period,
            upload=SimpleUploadedFile("a.csv", b"x,y\n1,2\n"),
        )
    assert (
        _login(client, world, "organiser_other")
        .get(reverse("races:import", args=[batch.pk]))
        .status_code
        == 404
    )


def test_an_objection_is_seen_by_its_unit_and_the_organisers_only(client, world):
    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"], result=result, unit=world.counties["上城区"], reasons="漏报"
    )
    url = reverse("races:objection", args=[objection.pk])
    assert _login(client, world, "reporter").get(url).status_code == 200
    client.logout()
    assert _login(client, world, "reporter_other").get(url).status_code == 404
    client.logout()
    assert _login(client, world, "organiser").get(url).status_code == 200


def test_an_objections_evidence_downloads_for_those_who_see_the_objection(client, world):
    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"],
        result=result,
        unit=world.counties["上城区"],
        reasons="漏报",
        evidence=SimpleUploadedFile("统计快报.pdf", b"%PDF-1.4 objection"),
    )
    url = reverse("races:objection_evidence", args=[objection.pk])
    page = _login(client, world, "organiser").get(reverse("races:objection", args=[objection.pk]))
    assert f'href="{url}">统计快报.pdf</a>' in page.content.decode()
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 objection"
    client.logout()
    assert _login(client, world, "reporter_other").get(url).status_code == 404


def test_a_reporter_cannot_answer_their_own_objection(client, world):
    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"], result=result, unit=world.counties["上城区"], reasons="漏报"
    )
    response = _login(client, world, "reporter").post(
        reverse("races:objection", args=[objection.pk]), {"decision": "upheld", "answer": "成立"}
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.status == "pending"


def test_a_reporter_cannot_object_for_another_unit(client, world):
    result = world.published()
    url = reverse("races:objection_new", args=[result.pk, world.counties["淳安县"].code])
    assert _login(client, world, "reporter").post(url, {"reasons": "x"}).status_code == 403
    assert not Objection.objects.exists()


# ---------------------------------------------------------------- flows


def test_a_reporter_fills_in_submits_and_sees_last_periods_value(client, world):
    world.published(2026, 1)
    period = world.period(2026, 2)
    url = reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    page = _login(client, world, "reporter").get(url).content.decode()
    assert "固定资产投资增速" in page and "本年累计同比" in page and "%" in page
    assert '<td class="num muted">9</td>' in page  # last period's value of 上城区
    evidence = SimpleUploadedFile("快报.png", b"png")
    response = client.post(
        url, {"fai": "10.5", "projects": "5", "snails": "0", "evidence": evidence, "submit": "1"}
    )
    assert response.status_code == 302
    report = world.report(period, "上城区")
    assert report.status == ReportStatus.SUBMITTED
    assert Evidence.objects.filter(report=report, name="快报.png").exists()


def test_a_submission_with_missing_values_shows_what_is_missing(client, world):
    period = world.period()
    url = reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    response = _login(client, world, "reporter").post(url, {"fai": "10.5", "submit": "1"})
    assert response.status_code == 200
    assert "尚缺：重大项目数、蜗牛项目数" in response.content.decode()


def test_the_organiser_returns_with_a_comment_and_the_reporter_sees_it(client, world):
    period = world.period()
    report = world.report(period, "上城区")
    reporting.report_save(
        actor=world.users["reporter"],
        report=report,
        values={"fai": 9.0, "projects": 5.0, "snails": 0.0},
        submit=True,
    )
    url = reverse("races:review", args=[period.pk, world.counties["上城区"].code])
    response = _login(client, world, "organiser").post(
        url, {"action": "return", "comment": "增速偏高，请核实", "note_fai": "与快报不符"}
    )
    assert response.status_code == 302
    client.logout()
    page = _login(client, world, "reporter").get(
        reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    )
    text = page.content.decode()
    assert "增速偏高，请核实" in text and "与快报不符" in text


def test_the_status_board_shows_every_unit_and_exports(client, world):
    period = world.period()
    world.fill(period, {"上城区": (1.0, 1.0, 1.0)}, verify=False)
    _login(client, world, "organiser")
    page = client.get(reverse("races:period", args=[period.pk])).content.decode()
    assert all(name in page for name in world.counties)
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("races:period", args=[period.pk]) + "?format=xlsx").content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("单位代码", "单位", "分组", "状态") and len(rows) == 7
    assert ("上城区", "已报送") in {(r[1], r[3]) for r in rows}


def test_the_status_board_filters_by_status_and_by_flags(client, world):
    period = world.period()
    world.fill(period, {"上城区": (1.0, 1.0, 1.0)}, verify=False)
    _login(client, world, "organiser")
    url = reverse("races:period", args=[period.pk])
    submitted = client.get(url + "?show=submitted")
    assert [r.report.unit.name for r in submitted.context["shown_rows"]] == ["上城区"]
    assert "筛选：1 / 6" in submitted.content.decode()
    not_started = client.get(url + "?show=not_started").context["shown_rows"]
    assert len(not_started) == 5 and "上城区" not in {r.report.unit.name for r in not_started}
    everyone = client.get(url + "?show=nonsense")
    assert len(everyone.context["shown_rows"]) == 6 and everyone.context["show"] == ""


def test_the_status_board_shows_only_the_flagged_units_when_asked(client, world):
    values = {name: v for name, v in VALUES.items() if name != "桐庐县"}
    values["余杭区"] = (400.0, 6.0, 1.0)  # far outside the group: flagged
    period = world.period()
    world.fill(period, values, verify=False)
    _login(client, world, "organiser")
    flagged = client.get(reverse("races:period", args=[period.pk]) + "?show=flagged").context
    assert [r.report.unit.name for r in flagged["shown_rows"]] == ["余杭区"]
    assert flagged["flagged_count"] == 1


def test_an_upload_through_htmx_navigates_to_its_batch(
    client, world, django_capture_on_commit_callbacks
):
    period = world.period()
    _login(client, world, "organiser")
    content = f"单位代码,单位名称,固定资产投资增速（%）,重大项目数（个）,蜗牛项目数（个）\n{world.counties['上城区'].code},上城区,9,5,0"
    upload = SimpleUploadedFile("q1.csv", content.encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("races:import_new", args=[period.pk]), {"file": upload}, HTTP_HX_REQUEST="true"
        )
    batch = period.imports.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("races:import", args=[batch.pk])


def test_the_upload_form_carries_its_progress_bar_and_shows_errors_in_place(client, world):
    period = world.period()
    _login(client, world, "organiser")
    page = client.get(reverse("races:import_new", args=[period.pk])).content.decode()
    assert 'data-upload-progress="upload-progress"' in page and "races/upload_progress.js" in page
    refused = client.post(
        reverse("races:import_new", args=[period.pk]), {"note": "no file"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="import-upload"' in refused and "errorlist" in refused
    assert not period.imports.exists()


def test_the_whole_cycle_through_the_pages(client, world, django_capture_on_commit_callbacks):
    period = world.period()
    _login(client, world, "organiser")
    lines = ["单位代码,单位名称,固定资产投资增速（%）,重大项目数（个）,蜗牛项目数（个）"]
    lines += [
        f"{world.counties[n].code},{n},{v[0]},{v[1]},{v[2]}"
        for n, v in {
            "上城区": (9, 5, 0),
            "淳安县": (6, 2, 1),
            "西湖区": (12, 7, 0),
            "萧山区": (8, 4, 2),
        }.items()
    ]
    upload = SimpleUploadedFile("q1.csv", "\n".join(lines).encode("gbk"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("races:import_new", args=[period.pk]), {"file": upload})
    batch_url = response["Location"]
    assert "预览：确认后才会写入" in client.get(batch_url).content.decode()
    batch = period.imports.get()
    client.post(reverse("races:import_decide", args=[batch.pk, "confirm"]))
    assert "已导入 4 个单位的数据" in client.get(batch_url).content.decode()
    client.post(reverse("races:period_action", args=[period.pk, "verify-clean"]))
    client.post(reverse("races:period_action", args=[period.pk, "close"]))
    client.post(reverse("races:period_action", args=[period.pk, "compute"]))
    result = period.results.get()
    response = client.post(
        reverse("races:period_action", args=[period.pk, "publish"]), {"result": result.pk}
    )
    assert response["Location"] == reverse("races:board", args=[result.pk])
    client.logout()
    board = client.get(reverse("races:board", args=[result.pk])).content.decode()
    assert "西湖区" in board and "红榜" in board
    # 桐庐县 never reported: not ranked, but named on the 黑榜 (the scheme's default rule)
    assert '桐庐县 <span class="muted">未报送数据（未填报）</span>' in board
    assert f"{world.counties['桐庐县'].code}/" not in board  # no unit page link: it has no score
    assert period.imports.get().status == ImportStatus.APPLIED


# ---------------------------------------------------------------- public pages


def test_published_boards_unit_pages_and_incentives_need_no_login(client, world):
    result = world.published()
    unit = world.counties["淳安县"].code
    for url in (
        reverse("races:board", args=[result.pk]),
        reverse("races:unit", args=[result.pk, unit]),
        reverse("races:incentives", args=[world.race.code]),
        reverse("races:race", args=[world.race.code]),
        reverse("races:index"),
    ):
        assert client.get(url).status_code == 200, url


def test_an_unpublished_board_is_hidden_from_the_public(client, world):
    period = world.period()
    world.fill(period)
    reporting.period_close(actor=world.users["organiser"], period=period)
    from saima.races.results import services as result_services

    result = result_services.result_compute(actor=world.users["organiser"], period=period)
    assert client.get(reverse("races:board", args=[result.pk])).status_code == 404
    assert client.get(reverse("races:kit", args=[result.pk])).status_code == 404
    assert (
        _login(client, world, "organiser").get(reverse("races:board", args=[result.pk])).status_code
        == 200
    )


def test_the_board_marks_selected_units_lists_and_rank_change(client, world):
    world.published(2026, 1)
    swapped = {
        "上城区": (12.0, 7.0, 0.0),
        "西湖区": (9.0, 5.0, 0.0),
        "淳安县": (6.0, 2.0, 1.0),
        "萧山区": (8.0, 4.0, 2.0),
        "余杭区": (10.0, 6.0, 1.0),
        "桐庐县": (4.0, 1.0, 3.0),
    }
    result = world.published(2026, 2, swapped)
    response = client.get(reverse("races:board", args=[result.pk]))
    page = response.content.decode()
    rows = response.context["rows"]
    assert (
        [r.unit_name for r in rows[:2]] == ["上城区", "余杭区"]
        and rows[0].selected
        and not rows[2].selected
    )
    assert rows[0].change == 2 and rows[-1].listed == "black" and rows[0].listed == "red"
    assert "↑2" in page and "黑榜" in page
    assert response.context["chart"]["series"][0]["data"][0]["itemStyle"]["color"] == "#b3261e"


def _section(page: str, title: str, next_title: str) -> str:
    return page[page.index(title) : page.index(next_title)]


def test_the_unit_page_explains_what_it_would_take_to_be_selected(client, world):
    """淳安县 is not selected: the section says how far it is from the line and which single
    change would carry it over, and nothing about being selected."""
    result = world.published()
    page = client.get(
        reverse("races:unit", args=[result.pk, world.counties["淳安县"].code])
    ).content.decode()
    section = _section(page, "怎样进入前 2 名", "各指标与得分贡献")
    assert "还差 <strong>41.67</strong> 分" in section
    assert "<li><strong>固定资产投资增速</strong>：提高 " in section
    assert "本期已入选" not in section and "入选概率" not in section


def test_a_selected_unit_is_not_told_a_gap(client, world):
    result = world.published()
    page = client.get(
        reverse("races:unit", args=[result.pk, world.counties["西湖区"].code])
    ).content.decode()
    section = _section(page, "怎样进入前 2 名", "各指标与得分贡献")
    assert "本期已入选" in section and "还差" not in section and "gap-list" not in section


def _chart_sent_to_the_browser(page: str, element_id: str) -> dict:
    start = page.index(f'<script id="{element_id}" type="application/json">')
    body = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def _texts(option, skip: set[str]) -> list[str]:
    """Every piece of text in a chart option that a reader sees, but the unit names."""
    if isinstance(option, dict):
        return [
            t
            for key, v in option.items()
            if key != "data" or _is_labels(v)
            for t in _texts(v, skip)
        ]
    if isinstance(option, list):
        return [t for v in option for t in _texts(v, skip)]
    return [option] if isinstance(option, str) and option not in skip else []


def _is_labels(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def test_the_board_charts_speak_the_users_language_and_name_every_unit_on_a_phone(client, world):
    result = world.published()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("races:board", args=[result.pk])).content.decode()
    names = {u.name for u in world.counties.values()}
    wide = _texts(_chart_sent_to_the_browser(page, "board-chart"), skip=names)
    narrow_chart = _chart_sent_to_the_browser(page, "board-chart-narrow")
    narrow = _texts(narrow_chart, skip=names)
    assert "Score" in wide and "Rank" in wide and "Score" in narrow
    assert not [t for t in wide + narrow if re.search(r"[\u4e00-\u9fff]", t)]
    # on a phone: one bar per unit, every unit named beside its bar
    assert set(narrow_chart["yAxis"]["data"]) == names


def test_the_unit_page_shows_the_score_gap_to_the_line_and_where_the_room_is(client, world):
    """淳安县 scores 33.33 (fai 12.5 + projects 4.17 + snails 16.67 of 50/25/25); the line is
    余杭区's 75.0, so it is 41.67 points short, with most room in fai (37.5), then projects
    (20.83), then snails (8.33)."""
    result = world.published()
    response = client.get(reverse("races:unit", args=[result.pk, world.counties["淳安县"].code]))
    assert response.context["threshold"] == pytest.approx(75.0)
    assert response.context["score_gap"] == pytest.approx(75.0 - 100 / 3)
    room = [(h["indicator"].code, h["room"]) for h in response.context["headroom"]]
    assert [code for code, _ in room] == ["fai", "projects", "snails"]
    assert [r for _, r in room] == pytest.approx([37.5, 125 / 6, 25 / 3])
    assert "还差" in response.content.decode()


def test_the_board_exports_to_xlsx_and_csv(client, world):
    result = world.published()
    url = reverse("races:board", args=[result.pk])
    workbook = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("名次", "名次变化", "单位代码", "单位") and rows[1][3] == "西湖区"
    text = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert text.splitlines()[1].split(",")[3] == "西湖区"


def test_incentives_count_rewards_per_listing_and_cumulate(client, world):
    world.race.reward_land_mu = 100
    world.race.reward_funds_yuan = 5_000_000
    world.race.save()
    world.published(2026, 1)
    world.published(2026, 2)
    response = client.get(reverse("races:incentives", args=[world.race.code]))
    top = response.context["cumulative"][0]
    assert (top["unit"].name, top["times"], top["land"], top["funds"]) == (
        "西湖区",
        2,
        200,
        10_000_000,
    )
    assert "1000万元" in response.content.decode()


def test_the_kit_downloads_as_a_zip(client, world):
    result = world.published()
    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("races:kit", args=[result.pk])).content)
    )
    assert "scheme.toml" in archive.namelist()


def test_the_home_page_tells_a_reporter_what_to_report(client, world):
    world.period()
    page = _login(client, world, "reporter").get(reverse("home")).content.decode()
    assert "我的填报" in page and "上城区" in page and "截止" in page


def test_the_home_page_shows_the_organiser_the_period_status(client, world):
    world.period()
    page = _login(client, world, "organiser").get(reverse("home")).content.decode()
    assert "我组织的赛马" in page and "杭州市县区赛马" in page and "0 / 0 / 6" in page


def test_the_home_page_shows_the_public_the_latest_boards(client, world):
    """A visitor's home is the public portal: the latest incentive regions, best first."""
    world.published()
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "最新激励地区" in page and "2026年第1季度" in page
    highlight = page.split('class="selected-list">')[1].split("</ol>")[0]
    assert highlight.index("西湖区") < highlight.index("余杭区")
    assert "上城区" not in highlight


def test_an_upheld_objection_is_linked_to_its_correction_from_its_page(client, world):
    from saima.races.results import services as result_services

    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"], result=result, unit=world.counties["上城区"], reasons="漏报"
    )
    _login(client, world, "organiser")
    url = reverse("races:objection", args=[objection.pk])
    client.post(url, {"decision": "upheld", "answer": "成立，将更正"})
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(result.period, "上城区"),
        values={"projects": 6.0},
        reason="漏报一个项目",
    )
    corrected = result_services.result_compute(
        actor=world.users["organiser"], period=result.period, reason="更正"
    )
    assert list(client.get(url).context["corrections"]) == [corrected]
    client.post(url, {"link": corrected.pk})
    objection.refresh_from_db()
    assert (objection.status, objection.correction) == ("upheld", corrected)
