#!/usr/bin/env python3
"""Independent reference numbers for post-stratification (dev.pulse.stats.PostStratification).

Command (from the repository root; the output is checked in):

    python3 pulse-stats/src/test/python/make_reference_post_stratification.py \
        pulse-stats/src/test/resources/reference/post_stratification_reference.json

Written from the estimator, not from Pulse code: Miratrix, Sekhon & Yu, "Adjusting treatment effect estimates
by post-stratification in randomized experiments", JRSS-B 75(2), 2013 -- the post-stratified estimate
sum_k w_k tau_k with w_k = n_k / N; its variance as GrowthBook computes it (gbstats models/tests.py,
PostStratificationSummary: the multinomial term for random stratum shares plus sum_k w_k^2 Var(alpha_k)).
For a ratio metric each stratum contributes alpha_k = (M_a, M_b - M_a, D_a, D_b - D_a) (means of numerator
and denominator per arm); the lifts are functions of the weighted alpha and their SEs come from the gradient
(delta method). Here the per-stratum covariance is computed from the raw per-unit rows with numpy (np.cov of
the stacked (X, Y) rows per arm, divided by n), and the whole covariance of the weighted alpha is
cross-checked by a simulation-free route: the explicit formula A (diag(nu) - nu nu') A' / N + sum nu_k^2 S_k
written with numpy matrices (the Java code loops instead).

It also recomputes GrowthBook's published expectations (packages/stats/tests/frequentist/test_post_strat.py,
TestPostStratification.setUp, test_post_strat_count_effect_moments and test_post_strat_ratio_effect_moments)
from their sufficient statistics and asserts them to GrowthBook's 5 decimals.
"""
import json
import math
import platform
import sys

import numpy as np
import scipy
from scipy import stats

COMMAND = ("python3 pulse-stats/src/test/python/make_reference_post_stratification.py "
           "pulse-stats/src/test/resources/reference/post_stratification_reference.json")
SEED = 20261207


def combine(cells):
    """cells: list of dicts with per-arm 'n', 'mean' (2,), 'cov' (2x2, ddof=1) for control 'a' and treatment 'b'."""
    n = np.array([c["a"]["n"] + c["b"]["n"] for c in cells], dtype=float)
    total = n.sum()
    nu = n / total
    alpha = np.zeros((4, len(cells)))
    s = []
    for k, c in enumerate(cells):
        a, b = c["a"], c["b"]
        alpha[:, k] = [a["mean"][0], b["mean"][0] - a["mean"][0], a["mean"][1], b["mean"][1] - a["mean"][1]]
        # alpha = C @ (M_a, D_a, M_b, D_b) with independent arms
        contrast = np.array([[1, 0, 0, 0], [-1, 0, 1, 0], [0, 1, 0, 0], [0, -1, 0, 1]], dtype=float)
        block = np.zeros((4, 4))
        block[:2, :2] = np.asarray(a["cov"]) / a["n"]
        block[2:, 2:] = np.asarray(b["cov"]) / b["n"]
        s.append(contrast @ block @ contrast.T)
    mu = alpha @ nu
    cov = alpha @ (np.diag(nu) - np.outer(nu, nu)) @ alpha.T / total
    for k in range(len(cells)):
        cov += nu[k] ** 2 * s[k]
    rc = mu[0] / mu[2]
    rt = (mu[0] + mu[1]) / (mu[2] + mu[3])
    g_t = np.array([1, 1, -rt, -rt]) / (mu[2] + mu[3])
    g_c = np.array([1, 0, -rc, 0]) / mu[2]
    g_abs = g_t - g_c
    g_rel = g_t / rc - rt / rc ** 2 * g_c
    return {"control_value": rc, "treatment_value": rt, "absolute": rt - rc,
            "absolute_se": math.sqrt(g_abs @ cov @ g_abs), "relative": rt / rc - 1,
            "relative_se": math.sqrt(g_rel @ cov @ g_rel)}


def welch(ca, cb):
    """Pooled arms: Welch-Satterthwaite on the ratio variances (delta method, divisor n - 1)."""
    def ratio_var(arm):
        r = arm["mean"][0] / arm["mean"][1]
        g = np.array([1, -r]) / arm["mean"][1]
        return float(g @ np.asarray(arm["cov"]) @ g) / arm["n"]
    va, vb = ratio_var(ca), ratio_var(cb)
    return (va + vb) ** 2 / (va ** 2 / (ca["n"] - 1) + vb ** 2 / (cb["n"] - 1))


def pooled(arms):
    n = sum(a["n"] for a in arms)
    mean = sum(a["n"] * np.asarray(a["mean"]) for a in arms) / n
    scatter = sum((a["n"] - 1) * np.asarray(a["cov"]) + a["n"] * np.outer(np.asarray(a["mean"]) - mean,
                                                                           np.asarray(a["mean"]) - mean) for a in arms)
    return {"n": n, "mean": mean, "cov": scatter / (n - 1)}


def arm_from_sums(n, sx, sxx, sy=None, syy=None, sxy=None):
    if sy is None:
        return {"n": n, "mean": np.array([sx / n, 1.0]),
                "cov": np.array([[(sxx - sx * sx / n) / (n - 1), 0.0], [0.0, 0.0]])}
    c = np.array([[sxx - sx * sx / n, sxy - sx * sy / n], [sxy - sx * sy / n, syy - sy * sy / n]]) / (n - 1)
    return {"n": n, "mean": np.array([sx / n, sy / n]), "cov": c}


def arm_json(arm):
    return {"n": int(arm["n"]), "mean_x": float(arm["mean"][0]), "mean_y": float(arm["mean"][1]),
            "var_x": float(arm["cov"][0][0]), "var_y": float(arm["cov"][1][1]), "cov_xy": float(arm["cov"][0][1])}


def full(name, description, cells, alpha):
    result = combine(cells)
    nu = welch(pooled([c["a"] for c in cells]), pooled([c["b"] for c in cells]))
    q = stats.t.ppf(1 - alpha / 2, nu)
    out = dict(result)
    out.update({"degrees_of_freedom": nu,
                "absolute_ci": [result["absolute"] - q * result["absolute_se"], result["absolute"] + q * result["absolute_se"]],
                "relative_ci": [result["relative"] - q * result["relative_se"], result["relative"] + q * result["relative_se"]],
                "p_value": 2 * stats.t.sf(abs(result["absolute"] / result["absolute_se"]), nu)})
    return {"name": name, "description": description, "alpha": alpha,
            "strata": [{"value": c["value"], "control": arm_json(c["a"]), "treatment": arm_json(c["b"])} for c in cells],
            "expected": out}


GB_COUNT = [(21, 330.0696210595999, 5377.811252605509), (42, 708.1220000911836, 12249.255519049513),
            (65, 1391.96628040659, 30546.63404187155), (75, 1807.4703052657744, 45000.287664918586),
            (102, 2916.824124651419, 86396.06886690554), (101, 3104.5399914554023, 98365.40553530994),
            (151, 5172.587929941052, 182453.04528037464), (121, 4613.696610070716, 180520.64781229294),
            (160, 6539.348445231273, 274981.98909352464), (162, 7431.953259880505, 349244.6690736718)]
GB_RATIO = [(21, 330.0696210595999, 5377.811252605509, 890.9766550739607, 38220.95223835553, 14263.937571840695),
            (42, 708.1220000911836, 12249.255519049513, 1745.9858250014954, 73194.53424221886, 29826.620793423102),
            (65, 1391.96628040659, 30546.63404187155, 2769.8126179473184, 118719.96077578884, 59924.702385890436),
            (75, 1807.4703052657744, 45000.287664918586, 3184.8395612061063, 136710.92474497214, 78119.14871556411),
            (102, 2916.824124651419, 86396.06886690554, 4445.780384331884, 195387.7733842407, 129041.55268673625),
            (101, 3104.5399914554023, 98365.40553530994, 4235.277718489282, 179690.4720421368, 132444.36911739354),
            (151, 5172.587929941052, 182453.04528037464, 6510.170220892494, 283094.7243365024, 226127.20135744457),
            (121, 4613.696610070716, 180520.64781229294, 5079.943060454901, 215529.32009367683, 196562.8269130501),
            (160, 6539.348445231273, 274981.98909352464, 6906.305872710853, 300900.3106781779, 286483.9732935189),
            (162, 7431.953259880505, 349244.6690736718, 6899.004661928157, 296839.44355002965, 321057.8410309036)]


def growthbook_published():
    out = []
    cells = [{"value": f"browser_{k}", "a": arm_from_sums(*GB_COUNT[2 * k]), "b": arm_from_sums(*GB_COUNT[2 * k + 1])}
             for k in range(5)]
    r = combine(cells)
    published = {"relative": 0.10994584851937336, "relative_se": 0.012225394656480164,
                 "absolute": 3.548094377986586, "absolute_se": 0.37634374823059685}
    for key, value in published.items():
        assert round(r[key], 5) == round(value, 5), (key, r[key], value)
    out.append({"name": "test_post_strat_count_effect_moments",
                "strata": [{"value": c["value"], "control": arm_json(c["a"]), "treatment": arm_json(c["b"])} for c in cells],
                "published": published})
    cells = [{"value": f"browser_{k}", "a": arm_from_sums(*GB_RATIO[2 * k]), "b": arm_from_sums(*GB_RATIO[2 * k + 1])}
             for k in range(5)]
    r = combine(cells)
    published = {"relative": 0.13371299783026003, "relative_se": 0.007131233706378072,
                 "absolute": 0.10008903417216031, "absolute_se": 0.005071004003792392}
    for key, value in published.items():
        assert round(r[key], 5) == round(value, 5), (key, r[key], value)
    out.append({"name": "test_post_strat_ratio_effect_moments",
                "strata": [{"value": c["value"], "control": arm_json(c["a"]), "treatment": arm_json(c["b"])} for c in cells],
                "published": published})
    return out


def raw_arm(x, y):
    return {"n": len(x), "mean": np.array([x.mean(), y.mean()]), "cov": np.cov(np.vstack([x, y]), ddof=1)}


def simulated(rng):
    sets = []
    # revenue per user (Y = 1), strata = country with very different levels
    cells = []
    for value, share, level in (("us", 0.5, 30.0), ("de", 0.3, 12.0), ("br", 0.2, 4.0)):
        na = int(1200 * share) + 7
        nb = int(1200 * share) - 3
        xa = rng.gamma(2.0, level / 2.0, na)
        xb = rng.gamma(2.0, level * 1.06 / 2.0, nb)
        cells.append({"value": value, "a": raw_arm(xa, np.ones(na)), "b": raw_arm(xb, np.ones(nb))})
    sets.append(full("revenue_per_user_by_country", "Y = 1, gamma revenue, country levels 30/12/4, +6 %", cells, 0.05))
    # clicks per session (ratio), strata = platform
    cells = []
    for value, share, rate in (("ios", 0.45, 0.3), ("android", 0.4, 0.2), ("web", 0.15, 0.1)):
        na, nb = int(1500 * share), int(1500 * share) + 11
        ya = 1.0 + rng.poisson(3.0, na)
        yb = 1.0 + rng.poisson(3.0, nb)
        xa = rng.binomial(ya.astype(int), rate).astype(float)
        xb = rng.binomial(yb.astype(int), rate * 1.1).astype(float)
        cells.append({"value": value, "a": raw_arm(xa, ya), "b": raw_arm(xb, yb)})
    sets.append(full("clicks_per_session_by_platform", "ratio, platform click rates 0.3/0.2/0.1, +10 %", cells, 0.1))
    return sets


def main(path):
    rng = np.random.default_rng(SEED)
    document = {
        "generator": {"command": COMMAND, "python": platform.python_version(),
                      "numpy": np.__version__, "scipy": scipy.__version__, "seed": SEED},
        "growthbook_published": growthbook_published(),
        "sets": simulated(rng),
    }
    with open(path, "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
