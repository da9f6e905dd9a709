"""Percent agreement and Cohen's κ."""

from __future__ import annotations

import pytest

from transform.validation.agreement import agreement, cohen_kappa
from transform.validation.model import ValidationReport


def test_kappa_of_a_worked_example() -> None:
    # p_o = 3/4; p_e = (2·1 + 2·3) / 16 = 1/2; κ = (3/4 − 1/2) / (1 − 1/2) = 1/2
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == pytest.approx(0.5)


def test_kappa_of_chance_agreement_is_zero_and_of_perfect_agreement_one() -> None:
    assert cohen_kappa([1, 0, 1, 0], [1, 1, 0, 0]) == pytest.approx(0.0)
    assert cohen_kappa([3, None, 5], [3, None, 5]) == pytest.approx(1.0)


def test_kappa_is_undefined_when_both_coders_use_one_value() -> None:
    assert cohen_kappa([True] * 5, [True] * 5) is None
    assert agreement("business:貸付業務", [(False, False)] * 3).kappa is None


def test_percent_agreement() -> None:
    result = agreement("members", [(3, 3), (None, 4), (5, 5), (2, 2)])
    assert (result.n, result.percent) == (4, 75.0)


def test_shipped_agreement_covers_every_attribute(shipped: ValidationReport) -> None:
    by_attribute = {a.attribute: a for a in shipped.agreement}
    assert len(by_attribute) == 18
    assert by_attribute["members"].n == 29
    assert by_attribute["area"].n == 6  # the reviewer decided area only where the text says so
    assert all(0 <= a.percent <= 100 for a in shipped.agreement)
