"""The pure functions: perception, beliefs, credibility, coefficients."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import beliefs as bel
from sim.model import perception as per

N = 3


INTENDED = np.array([0.2, 0.5, 0.8])
FRAMED = np.array([0.1, 0.2, 0.3])
FACE = np.array([0.25, 0.625, 1.0])
SECOND_STRIKE = np.array([0.0, 1.0, 0.0])


def cols(v: np.ndarray) -> np.ndarray:
    """A sender-level vector repeated down the observer axis."""
    return np.tile(v, (N, 1))


def read(
    prior_weight: float = 0.0, anxiety: np.ndarray | None = None, **overrides: object
) -> np.ndarray:
    keep = 1.0 - prior_weight
    anxiety = np.zeros(N) if anxiety is None else anxiety
    args: dict[str, object] = dict(
        intended=cols(INTENDED),
        framing_pull=cols(keep * (FRAMED - FACE)),
        face_pull=cols(keep * FACE) + 0.3 * anxiety[:, None] * (SECOND_STRIKE * FACE)[None, :],
        belief=np.full((N, N), 0.5),
        credibility=np.full((N, N), 0.5),
        lens_bias=np.zeros((N, N)),
        opacity=np.ones((N, N)),
        prior_weight=prior_weight,
        noise_sd=np.zeros(N),
        noise=np.ones((N, N)),
    )
    args.update(overrides)
    return per.perceived_hostility(**args)  # type: ignore[arg-type]


def test_full_clarity_reads_exactly_what_was_meant() -> None:
    got = read(opacity=np.zeros((N, N)), noise_sd=np.ones(N), lens_bias=np.ones((N, N)))
    np.testing.assert_allclose(got, cols(INTENDED))


def test_credible_framing_is_taken_at_its_word_and_incredible_at_face_value() -> None:
    believed = read(credibility=np.ones((N, N)))
    doubted = read(credibility=np.zeros((N, N)))
    np.testing.assert_allclose(believed[0], FRAMED)
    np.testing.assert_allclose(doubted[0], FACE)


def test_prior_images_colour_the_reading() -> None:
    got = read(prior_weight=0.5, credibility=np.zeros((N, N)), belief=np.full((N, N), 0.9))
    np.testing.assert_allclose(got[0], 0.5 * FACE + 0.45)


def test_deterrent_anxiety_amplifies_second_strike_moves_only() -> None:
    calm = read(credibility=np.zeros((N, N)))
    anxious = read(credibility=np.zeros((N, N)), anxiety=np.array([1.0, 0.0, 0.0]))
    assert anxious[0, 1] == pytest.approx(calm[0, 1] + 0.3 * 0.625)
    assert anxious[0, 0] == calm[0, 0] and anxious[1, 1] == calm[1, 1]


def test_lens_bias_signs() -> None:
    bias = per.lens_bias(0.2, np.array([1.0, 0.0]), np.array([[0.0, -1.0], [1.0, 0.0]]))
    assert bias[0, 1] == pytest.approx(0.2)  # sensitive observer, sworn rival
    assert bias[1, 0] == pytest.approx(-0.2)  # relaxed observer, closest partner


def test_readings_stay_in_unit_interval_under_heavy_noise() -> None:
    rng = np.random.default_rng(0)
    got = read(noise_sd=np.full(N, 5.0), noise=rng.standard_normal((N, N)))
    assert ((got >= 0) & (got <= 1)).all()


def test_noise_grows_with_tension_and_shrinks_with_norms() -> None:
    sd = per.noise_scale(0.1, 2.0, np.array([0.0, 0.5, 1.0]), 0.5, 0.0)
    np.testing.assert_allclose(sd, [0.1, 0.2, 0.3])
    assert per.noise_scale(0.1, 2.0, np.array([1.0]), 0.5, 1.0)[0] == pytest.approx(0.15)


def test_channel_clarity_combines_kinds() -> None:
    strengths = np.zeros((2, 2, 2))
    strengths[0, 0, 1] = strengths[0, 1, 0] = 1.0
    strengths[1, 0, 1] = strengths[1, 1, 0] = 0.5
    clarity = per.channel_clarity(strengths, np.array([0.5, 0.4]))
    assert clarity[0, 1] == pytest.approx(1 - 0.5 * 0.8)
    assert clarity[0, 0] == 0.0


def test_observation_targets_always_see_and_no_one_sees_itself() -> None:
    u = np.full((N, N), 0.99)
    targeted = np.zeros((N, N), dtype=bool)
    targeted[2, 0] = True
    seen = per.observed(u, np.array([0.5, 1.0, 0.0]), targeted, ~np.eye(N, dtype=bool))
    assert seen.tolist() == [
        [False, True, False],
        [False, False, False],
        [True, True, False],
    ]


def test_cheap_talk_barely_reassures_but_costly_signals_do() -> None:
    belief = np.full((1, 2), 0.8)
    perceived = np.array([[0.0, 1.0]])
    rate = np.ones((1, 2))
    cheap = bel.update_beliefs(belief, perceived, rate, np.array([[0.2, 0.2]]))
    costly = bel.update_beliefs(belief, perceived, rate, np.array([[1.0, 0.2]]))
    assert cheap[0, 0] == pytest.approx(0.8 - 0.2 * 0.8)  # only 20 % of the way down
    assert costly[0, 0] == pytest.approx(0.0)  # all the way
    assert cheap[0, 1] == costly[0, 1] == pytest.approx(1.0)  # alarm is always believed


def test_unseen_moves_leave_beliefs_and_credibility_alone() -> None:
    b = np.array([[0.3, 0.7]])
    unseen = np.zeros((1, 2))
    out = bel.update_beliefs(b, np.array([[1.0, 0.0]]), unseen, np.full((1, 2), 0.2))
    np.testing.assert_array_equal(out, b)
    cred = bel.update_credibility(b, np.array([[1.0, 0.0]]), np.zeros((1, 2)), unseen)
    np.testing.assert_array_equal(cred, b)


def test_say_do_gap_erodes_credibility() -> None:
    c = np.array([[0.8]])
    rate = np.full((1, 1), 0.5)
    honest = bel.update_credibility(c, np.array([[0.3]]), np.array([[0.3]]), rate)
    spun = bel.update_credibility(c, np.array([[0.7]]), np.array([[0.1]]), rate)
    assert honest[0, 0] == pytest.approx(0.9)
    assert spun[0, 0] == pytest.approx(0.8 + 0.5 * (0.4 - 0.8))


def test_default_coefficients() -> None:
    alignment = np.array([[0.0, -1.0, 1.0], [-1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    k, a, g = bel.default_coefficients(
        np.array([1.0, 0.5, 0.5]),
        np.array([0.5, 0.0, 1.0]),
        np.array([1.0, 0.5, 0.0]),
        alignment,
        0.4,
        0.35,
        0.05,
    )
    assert k[0].tolist() == pytest.approx([0.0, 0.4, 0.0])  # all weight on the rival
    assert k[1, 0] == pytest.approx(0.4 * 0.5 * 1.0 / 1.5)
    assert a.tolist() == pytest.approx([0.35, 0.175, 0.525])
    assert g.tolist() == pytest.approx([0.05, 0.0, -0.05])
