"""The shell speaks each reader's language: names, punctuation, dates and form fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, timezone, translation

from saima.core.widgets import DateTimeLocalInput


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load saima_tags %}" + source).render(Context(context))


def test_the_language_menu_names_each_language_in_its_own_words(client, small_province):
    client.force_login(small_province.users["organiser"])
    html = client.get("/").content.decode()
    assert ">English</option>" in html and "英语" not in html
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert ">简体中文</option>" in html and "Simplified Chinese" not in html


class Deadline(forms.Form):
    name = forms.CharField(label="名称")
    deadline = forms.DateTimeField(label="截止时间", widget=DateTimeLocalInput())


def test_form_labels_end_in_a_full_width_colon_in_chinese_and_a_colon_in_english():
    with translation.override("zh-hans"):
        assert Deadline()["name"].label_tag().endswith("名称：</label>")
    with translation.override("en"):
        assert Deadline()["name"].label_tag().endswith("名称:</label>")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_datetime_local_field_shows_its_value_in_the_browsers_format(language, settings):
    moment = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)  # 17:00 in Shanghai
    with translation.override(language), timezone.override("Asia/Shanghai"):
        html = str(Deadline(initial={"deadline": moment})["deadline"])
        assert 'type="datetime-local"' in html
        assert 'value="2026-12-08T17:00"' in html
        bound = Deadline(data={"name": "x", "deadline": "2026-12-08T17:00"})
        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["deadline"] == moment


def test_punctuation_follows_the_readers_language():
    source = '{% punct "：" %}|{{ names|listing }}|{% punct "（" %}x{% punct "）" %}'
    names = ["用地指标", "资金<b>"]
    assert render(source, "zh-hans", names=names) == "：|用地指标、资金&lt;b&gt;|（x）"
    assert render(source, "en", names=names) == ": |用地指标, 资金&lt;b&gt;| (x)"


def test_dates_follow_the_readers_language():
    this_year = timezone.localdate().year
    moment = timezone.make_aware(dt.datetime(this_year, 12, 8, 17, 0))
    older = timezone.make_aware(dt.datetime(2019, 3, 1, 8, 5))
    assert render("{{ t|when }}", "zh-hans", t=moment) == "12月8日 17:00"
    assert render("{{ t|when }}", "en", t=moment) == "8 Dec 17:00"
    assert render("{{ t|when }}", "en", t=older) == "1 Mar 2019 08:05"
    with translation.override("en"):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == f"{this_year}-12-08 17:00"
        assert "月" not in formats.date_format(moment, "DATE_FORMAT")
    with translation.override("zh-hans"):
        assert formats.date_format(older, "DATE_FORMAT") == "2019年3月1日"
