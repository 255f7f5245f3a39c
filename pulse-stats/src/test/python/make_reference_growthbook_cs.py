#!/usr/bin/env python3
"""Independent reference numbers for the GrowthBook-compatible asymptotic confidence sequence
(dev.pulse.stats.AsymptoticConfidenceSequence, docs/cuped-sequential-bayesian.md §2b).

Command (from the repository root; the output is checked in):

    python3 pulse-stats/src/test/python/make_reference_growthbook_cs.py \
        pulse-stats/src/test/resources/reference/growthbook_cs_reference.json

Written from the paper, not from Pulse or GrowthBook code: Waudby-Smith, Arnold, Wu, Ramdas et al.,
"Time-uniform central limit theory and asymptotic confidence sequences", arXiv:2103.06476v7:
  * Theorem 2.2, eq. (9): the two-sided asymptotic CS
        mu_hat_t +- sigma_hat_t * sqrt( 2 (t rho^2 + 1) / (t^2 rho^2) * log( sqrt(t rho^2 + 1) / alpha ) );
  * the rho that makes the CS tightest at t = t* (appendix, "choosing rho"):
        rho = sqrt( (-2 log alpha + log(-2 log alpha + 1)) / t* );
  * the time-uniform p-value 1/E_t of the same Gaussian mixture martingale,
        E_t = exp( rho^2 S_t^2 / (2 (t rho^2 + 1)) ) / sqrt(t rho^2 + 1),  S_t = t (mu_hat_t - 0) / sigma_hat_t.
For a two-arm estimate GrowthBook takes t = n_c + n_t and sigma_hat^2 = t * SE^2 (gbstats,
frequentist/tests.py). The p-value is cross-checked here by solving halfwidth(alpha') = |estimate| for
alpha' with rho held fixed (scipy.optimize.brentq): the p-value is the level at which the CS just
touches 0. Estimates and SEs come from the raw per-unit rows (ratio metrics linearized per unit:
z_i = (x_i - R y_i) / ybar, SE^2 = var(z, ddof=1) / n; relative lift L = R_t/R_c - 1 with the delta
method SE^2 = V_t/R_c^2 + R_t^2 V_c/R_c^4).

It also recomputes GrowthBook's own published test expectations
(packages/stats/tests/frequentist/test_tests.py, TestSequentialTTest) from their sufficient statistics
and asserts them to GrowthBook's 5 decimals.
"""
import json
import math
import platform
import sys

import numpy as np
import scipy
from scipy import optimize

COMMAND = ("python3 pulse-stats/src/test/python/make_reference_growthbook_cs.py "
           "pulse-stats/src/test/resources/reference/growthbook_cs_reference.json")
SEED = 20261206


def rho_of(alpha, tuning):
    return math.sqrt((-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning)


def halfwidth(sigma, t, rho, alpha):
    return sigma * math.sqrt(2 * (t * rho ** 2 + 1) / (t ** 2 * rho ** 2) * math.log(math.sqrt(t * rho ** 2 + 1) / alpha))


def cs_point(estimate, se, t, tuning, alpha):
    rho = rho_of(alpha, tuning)
    sigma = se * math.sqrt(t)
    half = halfwidth(sigma, t, rho, alpha)
    s_t = t * estimate / sigma
    log_e = rho ** 2 * s_t ** 2 / (2 * (t * rho ** 2 + 1)) - 0.5 * math.log(t * rho ** 2 + 1)
    p = min(1.0, math.exp(-log_e))
    if 1e-300 < p < 1.0:
        log_root = optimize.brentq(lambda u: halfwidth(sigma, t, rho, math.exp(u)) - abs(estimate), -690.0, -1e-15,
                                   xtol=1e-14, rtol=1e-14)
        assert math.isclose(log_root, math.log(p), rel_tol=1e-9, abs_tol=1e-9), (log_root, math.log(p))
    return {"estimate": estimate, "std_error": se, "total_units": t, "tuning": tuning, "alpha": alpha,
            "rho": rho, "tau": rho * sigma, "log_e_value": log_e, "p_value": p,
            "ci_lower": estimate - half, "ci_upper": estimate + half}


def moments(x, y):
    return {"n": len(x), "mean_x": float(np.mean(x)), "mean_y": float(np.mean(y)),
            "var_x": float(np.var(x, ddof=1)), "var_y": float(np.var(y, ddof=1)),
            "cov_xy": float(np.cov(x, y, ddof=1)[0, 1])}


def ratio_and_variance(x, y):
    r = x.sum() / y.sum()
    z = (x - r * y) / y.mean()
    return float(r), float(np.var(z, ddof=1) / len(x))


def looks_set(name, description, control, treatment, cuts, tuning, alpha):
    xc, yc = control
    xt, yt = treatment
    looks = []
    for n in cuts:
        rc, vc = ratio_and_variance(xc[:n], yc[:n])
        rt, vt = ratio_and_variance(xt[:n], yt[:n])
        t = 2 * n
        lift = rt / rc - 1
        se_rel = math.sqrt(vt / rc ** 2 + rt ** 2 * vc / rc ** 4)
        looks.append({"control": moments(xc[:n], yc[:n]), "treatment": moments(xt[:n], yt[:n]),
                      "absolute": cs_point(rt - rc, math.sqrt(vt + vc), t, tuning, alpha),
                      "relative": cs_point(lift, se_rel, t, tuning, alpha)})
    return {"name": name, "description": description, "tuning": tuning, "alpha": alpha, "looks": looks}


def growthbook_published():
    """gbstats TestSequentialTTest: expected numbers as published there (5 decimals)."""
    out = []
    # test_sequential_test_runs: SampleMeanStatistic, sequential_tuning_parameter=1000, relative.
    a = (1396.87, 52377.9767, 3000)
    b = (2422.7, 134698.29, 3461)
    def mean_var(s, ss, n):
        return s / n, (ss - s * s / n) / (n - 1)
    ma, va = mean_var(*a)
    mb, vb = mean_var(*b)
    lift = (mb - ma) / ma
    se = math.sqrt(vb / b[2] / ma ** 2 + mb ** 2 * (va / a[2]) / ma ** 4)
    point = cs_point(lift, se, a[2] + b[2], 1000, 0.05)
    published = {"expected": 0.50336, "ci": [-0.55844, 1.56516], "stddev": 0.33341, "p_value": 1}
    assert round(point["estimate"], 5) == published["expected"]
    assert [round(point["ci_lower"], 5), round(point["ci_upper"], 5)] == published["ci"]
    assert round(point["std_error"], 5) == published["stddev"] and point["p_value"] == 1
    out.append({"name": "test_sequential_test_runs", "control": {"sum": a[0], "sum_squares": a[1], "n": a[2]},
                "treatment": {"sum": b[0], "sum_squares": b[1], "n": b[2]}, "published": published,
                "computed": point})
    # test_sequential_test_runs_prop: ProportionStatistic (variance p(1 - p), divisor n), default N* = 5000.
    pa, na = 1396 / 3000, 3000
    pb, nb = 2422 / 3461, 3461
    lift = (pb - pa) / pa
    se = math.sqrt(pb * (1 - pb) / nb / pa ** 2 + pb ** 2 * (pa * (1 - pa) / na) / pa ** 4)
    point = cs_point(lift, se, na + nb, 5000, 0.05)
    published = {"expected": 0.50386, "ci": [0.40098, 0.60675], "stddev": 0.03386, "p_value": 0.0}
    assert round(point["estimate"], 5) == published["expected"]
    assert [round(point["ci_lower"], 5), round(point["ci_upper"], 5)] == published["ci"]
    assert round(point["std_error"], 5) == published["stddev"] and round(point["p_value"], 5) == 0.0
    out.append({"name": "test_sequential_test_runs_prop", "control": {"sum": 1396, "n": na},
                "treatment": {"sum": 2422, "n": nb}, "published": published, "computed": point})
    return out


def main(path):
    rng = np.random.default_rng(SEED)
    sets = []
    n = 4000
    revenue_c = rng.lognormal(1.0, 1.0, n) * rng.binomial(1, 0.3, n)
    revenue_t = rng.lognormal(1.0, 1.0, n) * rng.binomial(1, 0.32, n)
    sets.append(looks_set("revenue_per_user", "Y = 1: 30% / 32% of users buy, lognormal amounts; five looks",
                          (revenue_c, np.ones(n)), (revenue_t, np.ones(n)), (250, 500, 1000, 2000, 4000), 5000, 0.05))
    sessions_c = 1.0 + rng.poisson(3.0, n)
    sessions_t = 1.0 + rng.poisson(3.0, n)
    clicks_c = rng.binomial(sessions_c.astype(int), 0.20).astype(float)
    clicks_t = rng.binomial(sessions_t.astype(int), 0.23).astype(float)
    sets.append(looks_set("clicks_per_session", "ratio X = clicks, Y = sessions per user; alpha 0.1, N* = 2000",
                          (clicks_c, sessions_c), (clicks_t, sessions_t), (150, 600, 2400, 4000), 2000, 0.1))
    points = [cs_point(*args) for args in ((0.0, 1.0, 100, 5000, 0.05), (0.05, 0.01, 20000, 5000, 0.05),
                                           (-0.3, 0.1, 500, 100, 0.01), (2.0, 0.5, 1_000_000, 5000, 0.05),
                                           (0.01, 0.02, 5000, 5000, 0.2))]
    document = {
        "generator": {"command": COMMAND, "python": platform.python_version(),
                      "numpy": np.__version__, "scipy": scipy.__version__, "seed": SEED},
        "growthbook_published": growthbook_published(),
        "points": points,
        "looks": sets,
    }
    with open(path, "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
