"""Values as they come in: a correction parsed in its form, a report submitted with its evidence
as one atomic write (issue 7, §10)."""

from __future__ import annotations

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saima.core.models import AuditEvent
from saima.races.models import Evidence, ReportedValue, ReportStatus
from saima.races.reporting import services as reporting
from saima.races.reporting.evidence import MAX_EVIDENCE_BYTES
from tests.races.conftest import VALUES


def _closed_with_values(world):
    period = world.period()
    world.fill(period)
    reporting.period_close(actor=world.users["organiser"], period=period)
    return period


def test_a_correction_with_a_non_numeric_value_is_refused_in_the_form(client, world):
    period = _closed_with_values(world)
    client.force_login(world.users["organiser"])
    url = reverse("races:review", args=[period.pk, world.counties["上城区"].code])
    response = client.post(
        url,
        {
            "action": "correct",
            "value_fai": "abc",
            "value_projects": "5",
            "value_snails": "0",
            "reason": "快报更正",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "固定资产投资增速" in page and "「abc」不是数字" in page
    stored = ReportedValue.objects.get(report=world.report(period, "上城区"), indicator="fai")
    assert stored.value == 9.0
    assert not AuditEvent.objects.filter(action="races.report.correct").exists()


def test_a_correction_with_numbers_is_written_with_its_reason(client, world):
    period = _closed_with_values(world)
    client.force_login(world.users["organiser"])
    url = reverse("races:review", args=[period.pk, world.counties["上城区"].code])
    response = client.post(
        url,
        {
            "action": "correct",
            "value_fai": "9.5",
            "value_projects": "5",
            "value_snails": "0",
            "reason": "统计局快报更正",
        },
    )
    assert response.status_code == 302
    stored = ReportedValue.objects.get(report=world.report(period, "上城区"), indicator="fai")
    assert stored.value == 9.5


def test_a_submission_whose_evidence_is_refused_stays_unsubmitted(client, world):
    period = world.period()
    url = reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    too_big = SimpleUploadedFile("快报.pdf", b"x" * (MAX_EVIDENCE_BYTES + 1))
    client.force_login(world.users["reporter"])
    response = client.post(
        url, {"fai": "10.5", "projects": "5", "snails": "0", "evidence": too_big, "submit": "1"}
    )
    assert response.status_code == 200
    assert "20 MB" in response.content.decode()
    report = world.report(period, "上城区")
    assert report.status == ReportStatus.NOT_STARTED
    assert not ReportedValue.objects.filter(report=report).exists()
    assert not Evidence.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="races.report.").exists()


def test_a_submission_with_evidence_writes_both_in_one_go(world):
    period = world.period()
    report = world.report(period, "上城区")
    reporting.report_save(
        actor=world.users["reporter"],
        report=report,
        values={"fai": 9.0, "projects": 5.0, "snails": 0.0},
        submit=True,
        evidence=SimpleUploadedFile("快报.png", b"png"),
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert Evidence.objects.get(report=report).name == "快报.png"


def test_the_submit_button_asks_for_confirmation(client, world):
    period = world.period()
    client.force_login(world.users["reporter"])
    page = client.get(
        reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    ).content.decode()
    assert 'name="submit" data-confirm="' in page


def test_the_demo_writes_realistic_reasons_not_demo(world):
    from saima.races import demo

    values = np.array(list(VALUES.values()))  # one plausible row per report
    demo._run_quarter(world.race, world.users["organiser"], 2026, 1, values, backdate=False)
    reasons = set(
        AuditEvent.objects.filter(action__startswith="races.").values_list("reason", flat=True)
    )
    assert "demo" not in reasons
    # the file the numbers came in
    assert any(r.endswith(" 2026年第1季度统计快报汇总表.csv") for r in reasons), reasons
