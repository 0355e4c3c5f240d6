from __future__ import annotations

import pytest

from saima.engine import SchemeError, load_scheme, scheme_to_toml

from .conftest import SCHEME, make_scheme

DEFAULTS = dict(
    normalise="minmax", scope="group", weighting="fixed", aggregate="arithmetic", missing="reject"
)


def text(**changes: str) -> str:
    return SCHEME.format(**{**DEFAULTS, **changes})


def test_scheme_round_trips_through_toml() -> None:
    scheme = make_scheme(weighting="entropy", aggregate="topsis")
    assert load_scheme(scheme_to_toml(scheme)) == scheme


def test_unknown_top_level_tables_are_carried_in_extra() -> None:
    scheme = load_scheme(text() + "\n[lists]\ntop = 3\nbottom = 2\n")
    assert scheme.extra == {"lists": {"top": 3, "bottom": 2}}
    assert load_scheme(scheme_to_toml(scheme)).extra == scheme.extra


def ahp(matrix: str) -> str:
    return text(weighting="ahp") + f"\n[ahp]\nmatrix = {matrix}\n"


def test_consistent_ahp_matrix_gives_its_eigenvector_weights() -> None:
    scheme = load_scheme(ahp('[[1, 2, 4], ["1/2", 1, 2], ["1/4", "1/2", 1]]'))
    assert scheme.ahp is not None
    from saima.engine.weights import ahp_weights

    assert ahp_weights(scheme.ahp) == pytest.approx([4 / 7, 2 / 7, 1 / 7])


def test_inconsistent_ahp_matrix_is_refused_naming_the_ratio() -> None:
    with pytest.raises(SchemeError, match=r"consistency ratio \d+\.\d+ exceeds 0\.1") as info:
        load_scheme(ahp('[[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]'))
    ratio = float(str(info.value).split("ratio ")[1].split()[0])
    assert ratio > 0.1


@pytest.mark.parametrize(
    ("scheme_text", "message"),
    [
        pytest.param(text(normalise="foo"), r"method\.normalise: 'foo'", id="unknown-method"),
        pytest.param(
            text().replace("quota = 2\n", "", 1),
            "group 'city': quota is required",
            id="group-without-quota",
        ),
        pytest.param(
            text().replace('section = "scale"', 'section = "nowhere"'),
            "indicator 'fai': section 'nowhere' is not declared",
            id="undeclared-section",
        ),
        pytest.param(
            text(normalise="target"), "indicator 'fai': target", id="target-without-targets"
        ),
        pytest.param(
            text().replace('name = "投资规模扩大"', 'name = "投资规模扩大"\nweight = 0.4'),
            "every section or to none",
            id="some-section-weights",
        ),
        pytest.param(
            text(normalise="zscore", aggregate="geometric"), "geometric", id="geometric-zscores"
        ),
        pytest.param(
            ahp("[[1, 2, 4], [2, 1, 2], [0.25, 0.5, 1]]"), "reciprocal", id="ahp-not-reciprocal"
        ),
        pytest.param(text(weighting="ahp"), r"\[ahp\]", id="ahp-without-matrix"),
    ],
)
def test_a_bad_scheme_is_refused_naming_what_is_wrong(scheme_text: str, message: str) -> None:
    with pytest.raises(SchemeError, match=message):
        load_scheme(scheme_text)
