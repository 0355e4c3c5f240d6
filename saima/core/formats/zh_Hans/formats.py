"""Dates for Chinese readers (Django format module; ``FORMAT_MODULE_PATH``)."""

from saima.core.formats import ISO_DATE_INPUT_FORMATS, ISO_DATETIME_INPUT_FORMATS

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y年n月j日 H:i"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# People also write 2026/12/08 17:00 and 2026年12月08日 17:00.
DATETIME_INPUT_FORMATS = [*ISO_DATETIME_INPUT_FORMATS, "%Y/%m/%d %H:%M", "%Y年%m月%d日 %H:%M"]
DATE_INPUT_FORMATS = [*ISO_DATE_INPUT_FORMATS, "%Y/%m/%d", "%Y年%m月%d日"]
