#!/usr/bin/env python3
"""Independent reference numbers for regression adjustment with several covariates (CURE / CUPED++,
docs/regression-adjustment.md; Java: MultiCovariateAdjustment).

Command (from the repository root; the output is checked in):

    python3 pulse-stats/src/test/python/make_reference_multi_covariate.py \
        pulse-stats/src/test/resources/reference/multi_covariate_reference.json

Nothing here uses Pulse code or its moment formulas. From raw per-unit rows:
  * every variable (the outcome and each covariate, a ratio X/Y or a value with Y == 1, or a 0/1 indicator of
    a categorical attribute's level) is linearized per unit and arm, z_i = (x_i - R y_i) / ybar (Deng, Knoblich
    & Lu, KDD 2018, section 3);
  * theta is the least-squares fit (numpy.linalg.lstsq) of the outcome's z on one intercept per arm and the
    covariates' z (Lin 2013; Deng, Xu, Kohavi & Walker, WSDM 2013, 3.3), with the covariates the case names
    (a collinear level or those past the degrees-of-freedom cap are left out here by name, and Java must drop
    the same ones by itself);
  * R_adj = R - theta . (R_w - pooled R_w), V_adj = f * var(z - theta . z_w, ddof=1) / n with
    f = (N - G) / (N - G - K); each comparison adds to the treatment's V_adj the variance of theta's estimate
    along the arms' covariate difference d = R_w,t - R_w,c, d' C d, with C the theta block of the OLS covariance
    sigma^2 (X'X)^-1 of the fit above (numpy.linalg.inv);
  * Welch-Satterthwaite t interval and p-value; delta-method relative lift.
For cases whose variables all have Y == 1 the adjusted difference is cross-checked against the arm coefficient
of an OLS of the raw outcome on arm dummies and the raw covariates. The Java input is each arm's means,
variances and covariances (numpy, ddof=1) of every component.
"""
import json
import math
import platform
import sys

import numpy as np
import scipy
from scipy import stats

COMMAND = ("python3 pulse-stats/src/test/python/make_reference_multi_covariate.py "
           "pulse-stats/src/test/resources/reference/multi_covariate_reference.json")
SEED = 20261207


def welch(rc, vc, nc, rt, vt, nt, alpha):
    delta = rt - rc
    se = math.sqrt(vt + vc)
    nu = (vt + vc) ** 2 / (vt ** 2 / (nt - 1) + vc ** 2 / (nc - 1))
    q = float(stats.t.ppf(1 - alpha / 2, nu))
    p = float(2 * stats.t.sf(abs(delta / se), nu))
    lift = rt / rc - 1
    se_lift = math.sqrt(vt / rc ** 2 + rt ** 2 * vc / rc ** 4)
    return {"control_mean": rc, "treatment_mean": rt, "control_units": nc, "treatment_units": nt,
            "absolute": {"estimate": delta, "std_error": se, "ci_lower": delta - q * se, "ci_upper": delta + q * se},
            "relative": {"estimate": lift, "std_error": se_lift,
                         "ci_lower": lift - q * se_lift, "ci_upper": lift + q * se_lift},
            "degrees_of_freedom": nu, "p_value": p}


def arm_input(variables):
    """variables: list of (x, y) arrays over the arm's units: each variable's moments and every cross covariance."""
    n = len(variables[0][0])
    rows = []
    for x, y in variables:
        rows += [x, y]
    c = np.cov(np.vstack(rows), ddof=1)
    out = {"n": n, "variables": [], "covariances": c.tolist()}
    for v, (x, y) in enumerate(variables):
        out["variables"].append({"mean_x": float(np.mean(x)), "mean_y": float(np.mean(y)),
                                 "unit_denominator": bool(np.all(y == 1.0))})
    return out


def case(name, description, arms, names, used, alpha=0.05):
    """arms: list of (arm name, [(x, y) outcome, (x, y) covariate 1, ...]); the first arm is the control.
    used: indices (1..K) of the covariates the fit uses."""
    lin = {}
    for g, variables in arms:
        zs, rs = [], []
        for x, y in variables:
            r = x.sum() / y.sum()
            zs.append((x - r * y) / y.mean())
            rs.append(r)
        lin[g] = (zs, rs, len(variables[0][0]))
    k = len(used)
    z = np.concatenate([lin[g][0][0] for g, _ in arms])
    w = np.column_stack([np.concatenate([lin[g][0][j] for g, _ in arms]) for j in used]) if k else np.zeros((len(z), 0))
    dummies = np.zeros((len(z), len(arms)))
    start = 0
    for i, (g, _) in enumerate(arms):
        dummies[start:start + lin[g][2], i] = 1.0
        start += lin[g][2]
    design = np.column_stack([dummies, w])
    fit, *_ = np.linalg.lstsq(design, z, rcond=None)
    theta = fit[len(arms):]
    # the OLS covariance of theta, sigma^2 (X'X)^-1, its theta block
    rss = float(np.sum((z - design @ fit) ** 2))
    theta_cov = (rss / (len(z) - len(arms) - k) * np.linalg.inv(design.T @ design))[len(arms):, len(arms):]
    size = len(arms[0][1])
    pooled = {}
    for j in used:
        pooled[j] = sum(v[j][0].sum() for _, v in arms) / sum(v[j][1].sum() for _, v in arms)
    units = sum(lin[g][2] for g, _ in arms)
    f = (units - len(arms)) / (units - len(arms) - k) if k else 1.0
    adjusted = {}
    for g, _ in arms:
        zs, rs, n = lin[g]
        value = rs[0] - sum(theta[i] * (rs[j] - pooled[j]) for i, j in enumerate(used))
        residual = zs[0] - sum(theta[i] * zs[j] for i, j in enumerate(used))
        adjusted[g] = {"value": float(value), "variance": float(f * np.var(residual, ddof=1) / n),
                       "unadjusted_variance": float(np.var(zs[0], ddof=1) / n)}
    control = arms[0][0]
    comparisons = []
    c = adjusted[control]
    for g, _ in arms[1:]:
        t = dict(adjusted[g])
        # theta's estimation error along the arms' covariate difference, added to the treatment's variance
        d = np.array([lin[g][1][j] - lin[control][1][j] for j in used])
        t["variance"] += float(d @ theta_cov @ d) if k else 0.0
        entry = welch(c["value"], c["variance"], lin[control][2], t["value"], t["variance"], lin[g][2], alpha)
        entry["group"] = g
        entry["variance_reduction"] = 1 - (t["variance"] + c["variance"]) / (
            t["unadjusted_variance"] + c["unadjusted_variance"])
        comparisons.append(entry)
    if all(np.all(v[1] == 1.0) for _, variables in arms for v in variables):
        x = np.concatenate([variables[0][0] for _, variables in arms])
        raw = np.column_stack([np.concatenate([variables[j][0] for _, variables in arms]) for j in used])
        ols, *_ = np.linalg.lstsq(np.column_stack([dummies, raw]), x, rcond=None)
        for i, entry in enumerate(comparisons, start=1):
            assert math.isclose(ols[i] - ols[0], entry["absolute"]["estimate"], rel_tol=1e-9, abs_tol=1e-12)
    coefficients = [None] * (size - 1)
    for i, j in enumerate(used):
        coefficients[j - 1] = float(theta[i])
    return {"name": name, "description": description, "alpha": alpha, "control": control, "covariates": names,
            "arms": [dict(name=g, **arm_input(variables)) for g, variables in arms],
            "expected": {"coefficients": coefficients, "variance_inflation": f,
                         "values": {g: adjusted[g]["value"] for g, _ in arms},
                         "variances": {g: adjusted[g]["variance"] for g, _ in arms},
                         "comparisons": comparisons}}


def orgs(rng, n, effect, levels):
    """Clustered orgs: users Y, revenue X; pre-period revenue and users (X0, Y0), pre-period purchases P0 (Y == 1),
    a second pre-period ratio (sessions per user), and a 3-level attribute that shifts revenue."""
    size = 1 + np.floor(60 * rng.random(n) ** 2)
    level = np.exp(0.5 * rng.standard_normal(n))
    attribute = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    lift = np.array([1.0, 1.6, 0.7])[attribute]
    y = size
    x = (level * lift * size * rng.exponential(1.0, n) * 0.3 + level * lift * size) * effect
    y0 = np.maximum(0.0, size - rng.binomial(size.astype(int), 0.2))
    x0 = level * y0 * rng.exponential(1.0, n) * 0.5 + level * y0
    purchases0 = rng.poisson(level * lift * size * 0.2).astype(float)
    sessions0 = (y0 * 3 * level * lift + rng.poisson(2, n)).astype(float)
    ones = np.ones(n)
    indicators = [((attribute == l).astype(float), ones) for l in range(levels)]
    return [(x, y), (x0, y0), (purchases0, ones), (sessions0, np.maximum(y0, 1.0))] + indicators


def users(rng, n, effect):
    """Y == 1 throughout: revenue per user with three pre-period values."""
    a = rng.standard_normal(n)
    b = rng.standard_normal(n)
    x = 10 + 3 * a + 2 * b + rng.standard_normal(n) + effect
    ones = np.ones(n)
    return [(x, ones), (10 + 3 * a + rng.standard_normal(n), ones), (5 + 2 * b + rng.standard_normal(n), ones),
            (rng.standard_normal(n), ones)]


def main(path):
    rng = np.random.default_rng(SEED)
    names4 = ["revenue_pre", "purchases_pre", "sessions_per_user_pre"]
    cases = [
        case("ratio_three_arms", "ratio outcome (revenue per user) over orgs, three arms; covariates: its own pre-period"
             " ratio, a Y == 1 pre-period count, another pre-period ratio, and the three levels of an attribute (the"
             " last level is collinear with the others and the intercepts, so it is dropped)",
             [("control", orgs(rng, 700, 1.0, 3)), ("treatment", orgs(rng, 650, 1.04, 3)),
              ("treatment_b", orgs(rng, 720, 0.99, 3))],
             names4 + ["attribute=a", "attribute=b", "attribute=c"], [1, 2, 3, 4, 5]),
        case("unit_denominator", "Y == 1 outcome and covariates (cross-checked against OLS on the raw values)",
             [("control", users(rng, 900, 0.0)), ("treatment", users(rng, 880, 0.3))],
             ["a_pre", "b_pre", "noise_pre"], [1, 2, 3]),
        case("few_units", "50 units in two arms: 48 residual degrees of freedom allow 2 covariates of the 3 (20 each)",
             [("control", users(rng, 25, 0.0)), ("treatment", users(rng, 25, 0.5))],
             ["a_pre", "b_pre", "noise_pre"], [1, 2]),
    ]
    out = {"generator": {"command": COMMAND, "python": platform.python_version(), "numpy": np.__version__,
                         "scipy": scipy.__version__, "seed": SEED},
           "cases": cases}
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
