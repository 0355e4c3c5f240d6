"""The pages as users see them: what the public may not see, the report form's messages, the
import flow, safe exports, English."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saima.projects import services
from saima.projects.models import ImportBatch, MonthlyReport, Project


def test_the_public_project_page_shows_no_private_photo_or_problem(world, client):
    s = world.samples
    page = client.get(reverse("projects:project", args=[s.project.code])).content.decode()
    assert s.project.name in page
    assert reverse("projects:photo", args=[s.public_photo.pk]) in page
    assert reverse("projects:photo", args=[s.photo.pk]) not in page
    assert "征地拆迁需市里协调" not in page
    assert "王建国" in page  # the responsible leader is public
    assert client.get(reverse("projects:photo", args=[s.photo.pk])).status_code == 404
    photo = client.get(reverse("projects:photo", args=[s.public_photo.pk]))
    assert photo["Content-Type"] == "image/png" and photo["X-Content-Type-Options"] == "nosniff"


def test_the_report_history_exports_without_private_problems_for_the_public(world, client):
    url = reverse("projects:project", args=[world.samples.project.code]) + "?year=2026&format=csv"
    public = client.get(url).content.decode("utf-8-sig")
    assert "90.0" in public and "征地拆迁" not in public and "草稿" not in public
    client.force_login(world.users["organiser_a"])
    assert "征地拆迁需市里协调" in client.get(url).content.decode("utf-8-sig")


def test_the_projects_viewers_see_problems_and_every_photo(world, client):
    s = world.samples
    client.force_login(world.users["viewer_a"])
    page = client.get(reverse("projects:project", args=[s.project.code])).content.decode()
    assert "征地拆迁需市里协调" in page
    assert reverse("projects:photo", args=[s.photo.pk]) in page


def test_the_report_form_saves_a_draft_then_submits_and_names_a_fall_in_investment(world, client):
    project = world.samples.project
    client.force_login(world.users["reporter_a"])
    url = reverse("projects:report", args=[project.code, 2026, 3])
    response = client.post(
        url, {"cumulative_investment": "100", "physical_progress": "12", "submit": "1"}
    )
    assert response.status_code == 200
    assert "低于 2月已报的 150.00 万元" in response.content.decode()
    assert not MonthlyReport.objects.filter(project=project, month=3).exists()
    response = client.post(
        url, {"cumulative_investment": "1,234.5", "physical_progress": "３０", "save": "1"}
    )
    assert "全角" in response.content.decode()
    response = client.post(
        url,
        {
            "cumulative_investment": "1,234.5",
            "physical_progress": "30",
            "save": "1",
            "milestone_start": "2026-03-18",
        },
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get(project=project, month=3)
    assert report.status == "draft" and report.cumulative_investment == Decimal("1234.50")
    client.post(url, {"cumulative_investment": "1234.5", "physical_progress": "30", "submit": "1"})
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_by == world.users["reporter_a"]
    # once submitted, the unit's own second POST is told why and changes nothing
    again = client.post(
        url, {"cumulative_investment": "2000", "physical_progress": "30", "submit": "1"}
    )
    assert again.status_code == 200
    assert "本月报告已经报送，不能再修改" in again.content.decode()
    report.refresh_from_db()
    assert report.cumulative_investment == Decimal("1234.50")


def test_photos_upload_through_the_form(world, client):
    from tests.projects.samples import photo_upload

    project = world.samples.project
    client.force_login(world.users["reporter_a"])
    url = reverse("projects:report", args=[project.code, 2026, 3])
    data = {
        "cumulative_investment": "200",
        "physical_progress": "15",
        "save": "1",
        "photos": [photo_upload(), photo_upload("b.png")],
        "photo_caption": "设备进场",
    }
    assert client.post(url, data).status_code == 302
    photos = MonthlyReport.objects.get(project=project, month=3).photos.all()
    assert [p.caption for p in photos] == ["设备进场", "设备进场"]
    bad = {**data, "photos": [SimpleUploadedFile("x.png", b"GIF89a....")]}
    response = client.post(url, bad)
    assert "JPEG 和 PNG" in response.content.decode()


def test_the_import_pages_preview_then_confirm(world, client):
    plist = world.samples.plist
    client.force_login(world.users["organiser_a"])
    upload = SimpleUploadedFile(
        "m.csv", "项目代码,本年累计完成投资（万元）,形象进度（%）\nHZ-002,300,30\n".encode()
    )
    response = client.post(
        reverse("projects:import_new", args=[plist.code, "reports"]), {"file": upload, "month": 4}
    )
    batch = ImportBatch.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse(
        "projects:import", args=[batch.pk]
    )
    from saima.projects.imports import import_run

    import_run(batch.pk)  # the queue's task
    page = client.get(reverse("projects:import", args=[batch.pk])).content.decode()
    assert "新增 1" in page and "HZ-002" in page
    client.post(reverse("projects:import_decide", args=[batch.pk, "confirm"]))
    assert MonthlyReport.objects.get(project__code="HZ-002", month=4).status == "submitted"


def test_exports_neutralise_formulas_in_names(world, client):
    project = world.samples.project
    services.project_save(
        actor=world.users["organiser_a"],
        code=project.code,
        values={
            "name": '=HYPERLINK("http://x")',
            "owner_unit": project.owner_unit,
            "locality": project.locality,
            "category": "transport",
            "total_investment": Decimal("5000"),
        },
    )
    csv = client.get(
        reverse("projects:list", args=[world.samples.plist.code]) + "?format=csv"
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    assert Project.objects.get(code=project.code).name.startswith("=")


def test_the_list_page_reads_in_english(world, client):
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("projects:list", args=[world.samples.plist.code]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "All localities" in page and "Annual plan (10k yuan)" in page
    assert "导出 Excel" not in page


def test_an_empty_index_says_so(db, client):
    page = client.get(reverse("projects:index")).content.decode()
    assert "还没有可查看的重点项目清单" in page


def test_the_register_pages_keep_their_filters(world, client, monkeypatch):
    from saima.projects import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    url = reverse("projects:list", args=[world.samples.plist.code])
    page = client.get(
        url, {"locality": world.city_a.code, "category": "transport"}
    ).content.decode()
    link = page.split("page=2")[0].rsplit('href="', 1)[1]
    assert f"locality={world.city_a.code}" in link and "category=transport" in link


def test_an_organiser_changes_a_projects_register_values_and_plan_with_a_reason(world, client):
    from saima.core.models import AuditEvent
    from saima.projects.models import AnnualPlan

    project = world.samples.project
    url = reverse("projects:project_edit", args=[project.code]) + "?year=2026"
    client.force_login(world.users["reporter_a"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["organiser_a"])
    assert "上城区综合交通枢纽" in client.get(url).content.decode()
    data = {
        "name": "上城区综合交通枢纽",
        "category": "transport",
        "total_investment": "6000",
        "invested_before": "0",
        "reason": "",
        **{f"plan_{m:02d}": "150" for m in range(1, 13)},
    }
    assert client.post(url, data).status_code == 200  # a reason is required
    data["reason"] = "省发改委批复调整概算"
    assert client.post(url, data).status_code == 302
    assert AnnualPlan.objects.get(project=project, year=2026).year_target == Decimal("1800")
    actions = set(
        AuditEvent.objects.filter(reason="省发改委批复调整概算").values_list("action", flat=True)
    )
    assert actions == {"projects.project.change", "projects.plan.set"}
