from __future__ import annotations

import doctest
from decimal import Decimal

from django.utils import translation

from saima.core import formats


def test_the_documented_examples_hold():
    failures, tried = doctest.testmod(formats)
    assert tried > 0 and failures == 0


def test_small_and_negative_amounts_keep_their_unit():
    with translation.override("zh-hans"):
        assert formats.money_label(Decimal("9999")) == "9999元"
        assert formats.money_label(Decimal("-20000")) == "-2万元"
    with translation.override("en"):
        assert formats.money_label(Decimal("1234.50")) == "1,234.5 yuan"
