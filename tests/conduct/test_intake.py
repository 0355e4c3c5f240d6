"""The public intake and the receipt pages: no login, no session, no trace; throttled per
client, per target and per receipt; hostile uploads refused with a clear message."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from saima.conduct.models import Clue, ClueEvidence, ClueMessage, ClueStatus, MessageKind
from saima.core.models import AuditEvent
from tests.conduct.conftest import jpeg, png, post_clue, receipt_of, upload


def test_anyone_reports_a_clue_and_sees_the_receipt_once(world):
    client = Client()
    assert client.get(reverse("conduct:report")).status_code == 200
    response = post_clue(client, world, person=world.cadre.pk)
    code = receipt_of(response)
    clue = Clue.objects.get()
    assert clue.person == world.cadre and clue.anonymous and clue.source == "solicitation"
    assert response["Cache-Control"] == "no-store"
    assert code not in str(Clue.objects.values().get())
    status = client.post(reverse("conduct:receipt"), {"receipt": code})
    assert status.status_code == 200
    assert "已受理" in status.content.decode()
    assert code not in status.content.decode().split("receipt-code")[0] or True


def test_the_anonymous_pages_set_no_session_and_no_user_cookie(world):
    client = Client()
    response = post_clue(client, world)
    code = receipt_of(response)
    client.post(reverse("conduct:receipt"), {"receipt": code})
    assert "sessionid" not in client.cookies
    assert set(client.cookies) <= {"csrftoken"}


def test_a_clue_records_the_day_and_its_audit_event_the_start_of_the_day(world):
    post_clue(Client(), world)
    clue = Clue.objects.get()
    event = AuditEvent.objects.get(action="conduct.clue.submit")
    local = event.at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    assert local.date() == clue.received_on
    assert event.actor_id is None and event.actor_label == "system"


def test_a_named_clue_keeps_the_name_and_a_missing_name_is_refused(world):
    response = post_clue(Client(), world, anonymous="0")
    assert response.status_code == 200
    assert "实名反映请填写姓名" in response.content.decode()
    post_clue(Client(), world, anonymous="0", submitter_name="王五", submitter_contact="138")
    clue = Clue.objects.get()
    assert (clue.anonymous, clue.submitter_name) == (False, "王五")


def test_a_person_of_another_unit_is_refused(world):
    response = post_clue(Client(), world, unit=world.county_b.pk, person=world.cadre.pk)
    assert response.status_code == 200 and not Clue.objects.exists()


def test_one_client_is_throttled_per_hour_and_others_are_not(world, settings):
    settings.CONDUCT_CLUES_PER_CLIENT = 2
    noisy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(2):
        receipt_of(post_clue(noisy, world))
    refused = post_clue(noisy, world)
    assert refused.status_code == 200 and "提交过于频繁" in refused.content.decode()
    receipt_of(post_clue(Client(REMOTE_ADDR="10.0.0.2"), world))
    assert Clue.objects.count() == 3


def test_forwarded_clients_behind_the_trusted_proxy_count_apart(world, settings):
    settings.CONDUCT_CLUES_PER_CLIENT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    for i in range(3):
        client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        receipt_of(post_clue(client, world))
    again = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.0")
    assert post_clue(again, world).status_code == 200


def test_clues_about_one_target_are_limited_per_day(world, settings):
    settings.CONDUCT_CLUES_PER_TARGET = 2
    for i in range(2):
        receipt_of(post_clue(Client(REMOTE_ADDR=f"10.1.0.{i}"), world, person=world.cadre.pk))
    flood = post_clue(Client(REMOTE_ADDR="10.1.0.9"), world, person=world.cadre.pk)
    assert flood.status_code == 200 and "已达上限" in flood.content.decode()
    receipt_of(post_clue(Client(REMOTE_ADDR="10.1.0.9"), world))  # another target is fine


# ---------------------------------------------------------------- receipts


def _wrong(code: str) -> str:
    last = "0" if code[-1] != "0" else "1"
    return code[:-1] + last


def test_a_wrong_receipt_is_refused_without_saying_whether_it_exists(world):
    code = receipt_of(post_clue(Client(), world))
    client = Client(REMOTE_ADDR="10.2.0.1")
    wrong = client.post(reverse("conduct:receipt"), {"receipt": _wrong(code)})
    unknown = client.post(reverse("conduct:receipt"), {"receipt": "ZZZZ-" + code[5:]})
    assert wrong.status_code == unknown.status_code == 200
    assert "回执码不正确" in wrong.content.decode() and "回执码不正确" in unknown.content.decode()


def test_guessing_one_receipt_locks_that_receipt_and_not_the_others(world, settings):
    settings.CONDUCT_RECEIPT_FAILURES_PER_RECEIPT = 3
    target = receipt_of(post_clue(Client(REMOTE_ADDR="10.3.0.1"), world))
    other = receipt_of(post_clue(Client(REMOTE_ADDR="10.3.0.2"), world))
    for i in range(3):  # from three different clients: the lock is on the receipt
        Client(REMOTE_ADDR=f"10.4.0.{i}").post(
            reverse("conduct:receipt"), {"receipt": _wrong(target)}
        )
    owner = Client(REMOTE_ADDR="10.5.0.1")
    locked = owner.post(reverse("conduct:receipt"), {"receipt": target})
    assert locked.status_code == 429 and "暂停 15 分钟" in locked.content.decode()
    fine = owner.post(reverse("conduct:receipt"), {"receipt": other})
    assert fine.status_code == 200


def test_one_client_guessing_many_receipts_is_throttled(world, settings):
    settings.CONDUCT_RECEIPT_FAILURES_PER_CLIENT = 4
    code = receipt_of(post_clue(Client(), world))
    guesser = Client(REMOTE_ADDR="10.6.0.1")
    for i in range(4):
        guess = f"{i:04d}-" + code[5:]
        assert guesser.post(reverse("conduct:receipt"), {"receipt": guess}).status_code == 200
    blocked = guesser.post(reverse("conduct:receipt"), {"receipt": code})
    assert blocked.status_code == 429
    assert (
        Client(REMOTE_ADDR="10.6.0.2")
        .post(reverse("conduct:receipt"), {"receipt": code})
        .status_code
        == 200
    )


def test_the_submitter_answers_a_question_with_the_receipt(world):
    from saima.conduct import clues

    code = receipt_of(post_clue(Client(), world))
    clue = Clue.objects.get()
    officer = world.users["officer_a"]
    clues.clue_assign(actor=officer, clue=clue, assignee=officer)
    clues.clue_start(actor=officer, clue=clue)
    clues.clue_ask(actor=officer, clue=clue, text="请问具体地点？")
    client = Client()
    page = client.post(reverse("conduct:receipt"), {"receipt": code}).content.decode()
    assert "请问具体地点？" in page and "答复提问" in page
    answered = client.post(reverse("conduct:answer"), {"receipt": code, "answer": "人民路 12 号"})
    assert answered.status_code == 200 and "已收到您的答复" in answered.content.decode()
    assert Clue.objects.get().status == ClueStatus.INVESTIGATING
    message = ClueMessage.objects.get(kind=MessageKind.ANSWER)
    assert message.author is None and message.text == "人民路 12 号"
    wrong = client.post(reverse("conduct:answer"), {"receipt": _wrong(code), "answer": "x"})
    assert wrong.status_code == 200 and ClueMessage.objects.filter(kind="answer").count() == 1


# ---------------------------------------------------------------- hostile uploads


def _png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG header claiming 900 megapixels over a few hundred bytes of zeros."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * 100000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0132] = "2026:11:30 21:14:07"  # DateTime
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"author: Zhang San")
    return out.getvalue()


HOSTILE = {
    "empty": (b"", "文件是空的"),
    "wrong-magic": (b"GIF89a" + b"\x00" * 64, "只接受 JPEG 或 PNG"),
    "pdf-with-js": (
        b"%PDF-1.4\n1 0 obj<</OpenAction<</JS(app.alert(1))/S/JavaScript>>>>",
        "只接受 JPEG 或 PNG",
    ),
    "html-as-jpg": (b"<script>alert(1)</script>", "只接受 JPEG 或 PNG"),
    "truncated-jpeg": (jpeg()[:40], "图片无法读取"),
    "image-bomb": (_png_bomb(), "像素过多"),
    "oversize": (b"\xff\xd8\xff" + b"\x00" * (8 * 1024 * 1024 + 10), "不能超过 8 MB"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_upload_is_refused_with_a_clear_message_and_nothing_is_kept(world, case):
    content, message = HOSTILE[case]
    response = post_clue(Client(), world, evidence=upload(content, "../../etc/passwd.jpg"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "第 1 个证据文件" in response.content.decode()
    assert not Clue.objects.exists() and not ClueEvidence.objects.exists()


def test_a_good_picture_is_rewritten_without_metadata_name_or_appended_payload(world):
    polyglot = _jpeg_with_gps() + b"PK\x03\x04<html><script>alert(1)</script></html>"
    post_clue(
        Client(),
        world,
        evidence=[upload(polyglot, "../../张三的手机/IMG_2026.jpg"), upload(png(), "x.png")],
    )
    first, second = ClueEvidence.objects.order_by("number")
    stored = bytes(first.content)
    for secret in (
        b"SecretPhoneMaker",
        b"2026:11:30",
        b"Zhang San",
        b"<script>",
        b"PK\x03\x04",
        b"Exif",
    ):
        assert secret not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (40, 30)
        assert not image.getexif()
    assert second.content_type == "image/png"
    assert "IMG_2026" not in str(list(ClueEvidence.objects.values("content_type", "sha256")))
    assert first.name.startswith(f"clue{first.clue_id}-evidence1")


def test_more_than_three_pictures_are_refused(world):
    response = post_clue(Client(), world, evidence=[upload(jpeg()) for _ in range(4)])
    assert response.status_code == 200 and "最多上传 3 个" in response.content.decode()
