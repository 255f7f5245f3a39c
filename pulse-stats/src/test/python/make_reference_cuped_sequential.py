#!/usr/bin/env python3
"""Independent reference numbers for CUPED, the always-valid mSPRT and the Bayesian summary
(docs/cuped-sequential-bayesian.md).

Command (from the repository root; the output is checked in):

    python3 pulse-stats/src/test/python/make_reference_cuped_sequential.py \
        pulse-stats/src/test/resources/reference/cuped_sequential_reference.json

Made with Python 3.11, numpy 2.4.6, scipy 1.17.1 (the versions actually used are also written
into the JSON under "generator").

Nothing here uses Pulse code or the moment formulas of RegressionAdjustment:
  * CUPED from the raw per-unit rows (X, Y, X0, Y0): each unit is linearized explicitly,
    z_i = (x_i - R y_i) / ybar and z0_i = (x0_i - R0 y0_i) / y0bar per arm (Deng, Xu, Kohavi & Walker,
    WSDM 2013, Appendix B; Deng, Knoblich & Lu, KDD 2018, §3); theta is the least-squares slope of z on
    z0 with one intercept per arm (numpy.linalg.lstsq); the adjusted variance is var(z - theta z0)/n
    of the adjusted per-unit values. For Y == 1 metrics the adjusted lift is cross-checked against the
    arm coefficient of the OLS regression  x ~ arm dummies + x0  on the raw rows.
  * the moments the warehouse would return (the Java input) with numpy mean / var / cov (ddof=1);
  * the mSPRT from its closed form, cross-checked by numerically integrating the normal mixture
    likelihood ratio (scipy.integrate.quad) and solving Lambda(delta0) = 1/alpha (scipy.optimize.brentq)
    for the interval ends;
  * the Bayesian summary from the conjugate normal closed forms with scipy.stats.norm, cross-checked by
    integrating likelihood x prior numerically (quad) for the posterior moments, P(L > 0), both
    expected losses and the credible interval ends.
"""
import json
import math
import platform
import sys

import numpy as np
import scipy
from scipy import integrate, optimize, stats

COMMAND = ("python3 pulse-stats/src/test/python/make_reference_cuped_sequential.py "
           "pulse-stats/src/test/resources/reference/cuped_sequential_reference.json")
SEED = 20261126


# ---------------------------------------------------------------- data

def clustered_orgs_with_pre(rng, orgs, effect=1.0, new_share=0.1):
    """Orgs of 1..150 users; an org level drives both periods (pre and post revenue correlated).

    Post: X = org revenue, Y = users. Pre: X0 = revenue of the users active before, Y0 = those users;
    about `new_share` of the orgs are new (no pre-period rows: X0 = Y0 = 0, the warehouse's COALESCE).
    """
    sizes = 1 + np.floor(149 * rng.random(orgs) ** 2).astype(int)
    x, y, x0, y0 = [], [], [], []
    for size in sizes:
        level = 20.0 * math.exp(0.5 * rng.standard_normal())
        x.append(float((level * rng.exponential(1.0, size) * effect).sum()))
        y.append(float(size))
        if rng.random() < new_share:
            x0.append(0.0)
            y0.append(0.0)
        else:
            active = int(rng.binomial(size, 0.9))
            x0.append(float((level * rng.exponential(1.0, active)).sum()))
            y0.append(float(active))
    return np.array(x), np.array(y), np.array(x0), np.array(y0)


def users_with_pre(rng, users, effect=0.0, new_share=0.2):
    """Y == 1: revenue per user, pre-period revenue correlated; new users have X0 = 0."""
    level = np.exp(1.0 + 0.8 * rng.standard_normal(users))
    x0 = level * rng.exponential(1.0, users)
    x0[rng.random(users) < new_share] = 0.0
    x = level * rng.exponential(1.0, users) + effect
    return x, np.ones(users), x0, np.ones(users)


# ---------------------------------------------------------------- moments (the Java input)

def moments(x, y):
    n = len(x)
    if n < 2:
        return {"n": n, "mean_x": float(np.mean(x)), "mean_y": float(np.mean(y)),
                "var_x": 0.0, "var_y": 0.0, "cov_xy": 0.0}
    return {"n": n, "mean_x": float(np.mean(x)), "mean_y": float(np.mean(y)),
            "var_x": float(np.var(x, ddof=1)), "var_y": float(np.var(y, ddof=1)),
            "cov_xy": float(np.cov(x, y, ddof=1)[0, 1])}


def covariate_moments(x, y, x0, y0):
    c = np.cov(np.vstack([x, y, x0, y0]), ddof=1)
    return {"post": moments(x, y), "pre": moments(x0, y0),
            "cov_xx0": float(c[0, 2]), "cov_xy0": float(c[0, 3]),
            "cov_yx0": float(c[1, 2]), "cov_yy0": float(c[1, 3])}


# ---------------------------------------------------------------- CUPED, from per-unit rows

def welch(rc, vc, nc, rt, vt, nt, alpha):
    delta = rt - rc
    se = math.sqrt(vt + vc)
    nu = (vt + vc) ** 2 / (vt ** 2 / (nt - 1) + vc ** 2 / (nc - 1))
    q = float(stats.t.ppf(1 - alpha / 2, nu))
    p = float(2 * stats.t.sf(abs(delta / se), nu))
    lift = rt / rc - 1
    gradient = np.array([1 / rc, -rt / rc ** 2])
    se_lift = float(math.sqrt(gradient @ np.diag([vt, vc]) @ gradient))
    return {"control_mean": rc, "treatment_mean": rt, "control_units": nc, "treatment_units": nt,
            "absolute": {"estimate": delta, "std_error": se, "ci_lower": delta - q * se, "ci_upper": delta + q * se},
            "relative": {"estimate": lift, "std_error": se_lift,
                         "ci_lower": lift - q * se_lift, "ci_upper": lift + q * se_lift},
            "degrees_of_freedom": nu, "p_value": p, "significant": bool(p < alpha)}


def cuped_set(name, description, groups, alpha=0.05, unit_denominator=False):
    """groups: list of (name, x, y, x0, y0); the first is the control."""
    lin = {}
    for g, x, y, x0, y0 in groups:
        r, r0 = x.sum() / y.sum(), x0.sum() / y0.sum()
        lin[g] = ((x - r * y) / y.mean(), (x0 - r0 * y0) / y0.mean(), r, r0, len(x))
    # theta: least squares of z on z0 with one intercept per arm.
    z = np.concatenate([lin[g][0] for g, *_ in groups])
    z0 = np.concatenate([lin[g][1] for g, *_ in groups])
    dummies = np.zeros((len(z), len(groups)))
    start = 0
    for k, (g, *_rest) in enumerate(groups):
        dummies[start:start + lin[g][4], k] = 1.0
        start += lin[g][4]
    coefficients, *_ = np.linalg.lstsq(np.column_stack([dummies, z0]), z, rcond=None)
    theta = float(coefficients[-1])
    pooled_pre = float(sum(x0.sum() for _, _, _, x0, _ in groups) / sum(y0.sum() for _, _, _, _, y0 in groups))
    adjusted = {}
    for g, *_ in groups:
        zg, z0g, r, r0, n = lin[g]
        adjusted[g] = {"value": float(r - theta * (r0 - pooled_pre)),
                       "variance": float(np.var(zg - theta * z0g, ddof=1) / n),
                       "unadjusted_value": float(r), "unadjusted_variance": float(np.var(zg, ddof=1) / n)}
    control = groups[0][0]
    comparisons = []
    c = adjusted[control]
    for g, *_ in groups[1:]:
        t = adjusted[g]
        entry = welch(c["value"], c["variance"], lin[control][4], t["value"], t["variance"], lin[g][4], alpha)
        entry["group"] = g
        entry["variance_reduction"] = 1 - (t["variance"] + c["variance"]) / (
            t["unadjusted_variance"] + c["unadjusted_variance"])
        comparisons.append(entry)
    if unit_denominator:
        # Cross-check: OLS of x on arm dummies and x0 gives the same theta and adjusted lifts.
        x = np.concatenate([x for _, x, _, _, _ in groups])
        x0 = np.concatenate([x0 for _, _, _, x0, _ in groups])
        ols, *_ = np.linalg.lstsq(np.column_stack([dummies, x0]), x, rcond=None)
        assert math.isclose(ols[-1], theta, rel_tol=1e-9), (ols[-1], theta)
        for k, entry in enumerate(comparisons, start=1):
            assert math.isclose(ols[k] - ols[0], entry["absolute"]["estimate"], rel_tol=1e-9, abs_tol=1e-12)
    return {"name": name, "description": description, "alpha": alpha, "control": control,
            "groups": [dict(name=g, **covariate_moments(x, y, x0, y0)) for g, x, y, x0, y0 in groups],
            "expected": {"theta": theta, "pooled_pre_value": pooled_pre, "groups": adjusted,
                         "comparisons": comparisons}}


# ---------------------------------------------------------------- mSPRT

def msprt_closed(estimate, se, tau, alpha):
    v = se * se
    log_lambda = 0.5 * math.log(v / (v + tau * tau)) + estimate ** 2 * tau ** 2 / (2 * v * (v + tau * tau))
    half = math.sqrt(v * (v + tau * tau) / tau ** 2 * (-2 * math.log(alpha) - math.log(v / (v + tau * tau))))
    return log_lambda, min(1.0, math.exp(-log_lambda)), estimate - half, estimate + half


def msprt_numeric_lambda(estimate, se, tau, delta0):
    """Lambda(delta0) = integral of N(est; d, se^2) / N(est; delta0, se^2) * N(d; delta0, tau^2) dd."""
    def integrand(d):
        log_ratio = stats.norm.logpdf(estimate, d, se) - stats.norm.logpdf(estimate, delta0, se)
        return math.exp(log_ratio + stats.norm.logpdf(d, delta0, tau))
    centre = (estimate * tau ** 2 + delta0 * se ** 2) / (tau ** 2 + se ** 2)
    spread = math.sqrt(1 / (1 / tau ** 2 + 1 / se ** 2))
    value, _ = integrate.quad(integrand, centre - 40 * spread, centre + 40 * spread, epsabs=0, epsrel=1e-12,
                              limit=200)
    return value


def msprt_point(estimate, se, tau, alpha):
    log_lambda, p, lower, upper = msprt_closed(estimate, se, tau, alpha)
    numeric = msprt_numeric_lambda(estimate, se, tau, 0.0)
    assert math.isclose(math.log(numeric), log_lambda, rel_tol=1e-8, abs_tol=1e-9), (numeric, log_lambda)
    width = upper - lower
    for end, bracket in ((lower, (lower - width, estimate)), (upper, (estimate, upper + width))):
        root = optimize.brentq(lambda d0: math.log(msprt_numeric_lambda(estimate, se, tau, d0)) + math.log(alpha),
                               *bracket, xtol=1e-14 * (abs(end) + se))
        assert math.isclose(root, end, rel_tol=1e-8, abs_tol=1e-8 * se), (root, end)
    return {"estimate": estimate, "std_error": se, "tau": tau, "alpha": alpha,
            "log_likelihood_ratio": log_lambda, "p_value": p, "ci_lower": lower, "ci_upper": upper}


def delta_group(x, y):
    n = len(x)
    r = x.sum() / y.sum()
    z = (x - r * y) / y.mean()
    return float(r), float(np.var(z, ddof=1) / n)


def msprt_looks(rng, fraction, alpha):
    """One user-randomized clicks-per-session experiment looked at five times (cumulative data)."""
    total = 1600
    yc = 1.0 + rng.poisson(3.0, total)
    xc = rng.binomial(yc.astype(int), 0.20).astype(float)
    yt = 1.0 + rng.poisson(3.0, total)
    xt = rng.binomial(yt.astype(int), 0.215).astype(float)
    looks = []
    running = {"absolute": [1.0, -math.inf, math.inf], "relative": [1.0, -math.inf, math.inf]}
    for n in (80, 200, 400, 800, 1600):
        look = {"control": moments(xc[:n], yc[:n]), "treatment": moments(xt[:n], yt[:n])}
        if n >= 100:
            rc, vc = delta_group(xc[:n], yc[:n])
            rt, vt = delta_group(xt[:n], yt[:n])
            lift = rt / rc - 1
            gradient = np.array([1 / rc, -rt / rc ** 2])
            figures = {"absolute": (rt - rc, math.sqrt(vt + vc), fraction * abs(rc)),
                       "relative": (lift, float(math.sqrt(gradient @ np.diag([vt, vc]) @ gradient)), fraction)}
            for what, (estimate, se, tau) in figures.items():
                point = msprt_point(estimate, se, tau, alpha)
                state = running[what]
                state[0] = min(state[0], point["p_value"])
                state[1] = max(state[1], point["ci_lower"])
                state[2] = min(state[2], point["ci_upper"])
                look[what] = {"estimate": estimate, "std_error": se, "tau": tau,
                              "log_likelihood_ratio": point["log_likelihood_ratio"],
                              "p_value": state[0], "ci_lower": state[1], "ci_upper": state[2]}
        looks.append(look)
    return {"mixing_fraction": fraction, "alpha": alpha, "looks": looks}


# ---------------------------------------------------------------- Bayesian

def bayes_point(estimate, se, prior_mean, prior_sd, alpha):
    flat = prior_sd is None
    precision = 1 / se ** 2 + (0.0 if flat else 1 / prior_sd ** 2)
    var = 1 / precision
    mean = var * (estimate / se ** 2 + (0.0 if flat else prior_mean / prior_sd ** 2))
    sd = math.sqrt(var)
    post = stats.norm(mean, sd)
    z = mean / sd
    expected = {"posterior_mean": mean, "posterior_sd": sd, "chance_to_beat_control": float(post.sf(0.0)),
                "expected_loss_treatment": float(sd * stats.norm.pdf(z) - mean * stats.norm.cdf(-z)),
                "expected_loss_control": float(sd * stats.norm.pdf(z) + mean * stats.norm.cdf(z)),
                "ci_lower": float(post.ppf(alpha / 2)), "ci_upper": float(post.ppf(1 - alpha / 2))}

    # Numerical check: likelihood x prior integrated on a wide finite range.
    def density(l):
        prior = 0.0 if flat else stats.norm.logpdf(l, prior_mean, prior_sd)
        return math.exp(stats.norm.logpdf(estimate, l, se) + prior - stats.norm.logpdf(mean, mean, se))
    lo, hi = mean - 40 * sd, mean + 40 * sd

    def q(f, a=lo, b=hi):
        pts = [p for p in (0.0,) if a < p < b]
        return integrate.quad(f, a, b, points=pts or None, epsabs=0, epsrel=1e-12, limit=400)[0]
    norm = q(density)
    m = q(lambda l: l * density(l)) / norm
    s = math.sqrt(q(lambda l: (l - m) ** 2 * density(l)) / norm)
    numeric = {"posterior_mean": m, "posterior_sd": s,
               "chance_to_beat_control": q(density, max(0.0, lo), hi) / norm if hi > 0 else 0.0,
               "expected_loss_treatment": q(lambda l: -l * density(l), lo, min(0.0, hi)) / norm if lo < 0 else 0.0,
               "expected_loss_control": q(lambda l: l * density(l), max(0.0, lo), hi) / norm if hi > 0 else 0.0}
    for key, value in numeric.items():
        assert math.isclose(value, expected[key], rel_tol=1e-7, abs_tol=1e-12 * sd), (key, value, expected[key])
    for key, target in (("ci_lower", alpha / 2), ("ci_upper", 1 - alpha / 2)):
        root = optimize.brentq(lambda c: q(density, lo, c) / norm - target, lo + sd, hi - sd, xtol=1e-13 * sd)
        assert math.isclose(root, expected[key], rel_tol=1e-7, abs_tol=1e-7 * sd), (key, root, expected[key])
    return {"estimate": estimate, "std_error": se, "prior_mean": prior_mean, "prior_sd": prior_sd,
            "alpha": alpha, **expected}


# ---------------------------------------------------------------- main

def main(path):
    rng = np.random.default_rng(SEED)
    cuped = []
    cuped.append(cuped_set(
        "clustered_ratio", "orgs of 1..150 users, org level drives pre and post revenue; ratio X = revenue, "
        "Y = users; 10% new orgs without pre-period; treatment revenue x1.05",
        [("control", *clustered_orgs_with_pre(rng, 400)), ("treatment", *clustered_orgs_with_pre(rng, 380, 1.05))]))
    cuped.append(cuped_set(
        "three_arm_ratio", "as clustered_ratio, three arms, alpha 0.1",
        [("control", *clustered_orgs_with_pre(rng, 300)), ("treat_a", *clustered_orgs_with_pre(rng, 160, 1.08)),
         ("treat_b", *clustered_orgs_with_pre(rng, 150, 0.97))], alpha=0.1))
    cuped.append(cuped_set(
        "revenue_per_user", "Y = 1: lognormal user level in both periods; 20% new users with X0 = 0; "
        "treatment adds 0.3", [("control", *users_with_pre(rng, 1000)), ("treatment", *users_with_pre(rng, 1050, 0.3))],
        unit_denominator=True))
    points = []
    for estimate, se, tau, alpha in ((0.0, 1.0, 1.0, 0.05), (2.5, 1.0, 1.0, 0.05), (-3.0, 0.5, 2.0, 0.05),
                                     (0.04, 0.01, 0.05, 0.05), (12.0, 4.0, 1.0, 0.1), (0.3, 0.02, 0.05, 0.01),
                                     (-0.02, 0.03, 0.05, 0.05)):
        points.append(msprt_point(estimate, se, tau, alpha))
    looks = msprt_looks(rng, 0.05, 0.05)
    bayes = []
    for estimate, se, prior_mean, prior_sd, alpha in ((0.05, 0.02, 0.0, None, 0.05), (0.05, 0.02, 0.0, 0.3, 0.05),
                                                      (-0.01, 0.015, 0.0, 0.3, 0.05), (0.2, 0.1, 0.0, 0.05, 0.1),
                                                      (0.0, 0.04, 0.02, 0.1, 0.05), (0.12, 0.03, 0.0, None, 0.01)):
        bayes.append(bayes_point(estimate, se, prior_mean, prior_sd, alpha))
    document = {
        "generator": {"command": COMMAND, "python": platform.python_version(),
                      "numpy": np.__version__, "scipy": scipy.__version__, "seed": SEED},
        "cuped": cuped,
        "msprt_points": points,
        "msprt_looks": looks,
        "bayesian_points": bayes,
    }
    with open(path, "w") as out:
        json.dump(document, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
