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


def test_unknown_method_value_is_refused_naming_the_key() -> None:
    with pytest.raises(SchemeError, match=r"method\.normalise: 'foo'"):
        load_scheme(text(normalise="foo"))


def test_group_without_quota_is_refused() -> None:
    with pytest.raises(SchemeError, match="group 'city': quota is required"):
        load_scheme(text().replace("quota = 2\n", "", 1))


def test_indicator_in_undeclared_section_is_refused() -> None:
    with pytest.raises(SchemeError, match="indicator 'fai': section 'nowhere' is not declared"):
        load_scheme(text().replace('section = "scale"', 'section = "nowhere"'))


def test_target_normalisation_requires_a_target_per_indicator() -> None:
    with pytest.raises(SchemeError, match="indicator 'fai': target"):
        load_scheme(text(normalise="target"))


def test_section_weights_must_be_given_to_all_sections_or_none() -> None:
    with pytest.raises(SchemeError, match="every section or to none"):
        load_scheme(text().replace('name = "投资规模扩大"', 'name = "投资规模扩大"\nweight = 0.4'))


def test_geometric_aggregation_of_zscores_is_refused() -> None:
    with pytest.raises(SchemeError, match="geometric"):
        load_scheme(text(normalise="zscore", aggregate="geometric"))


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


def test_non_reciprocal_ahp_matrix_is_refused() -> None:
    with pytest.raises(SchemeError, match="reciprocal"):
        load_scheme(ahp("[[1, 2, 4], [2, 1, 2], [0.25, 0.5, 1]]"))


def test_ahp_weighting_without_matrix_is_refused() -> None:
    with pytest.raises(SchemeError, match=r"\[ahp\]"):
        load_scheme(text(weighting="ahp"))
