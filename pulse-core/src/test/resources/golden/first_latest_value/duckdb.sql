WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR)) AS "groups_seen"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
    AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "src"."org"
),
"pulse_units" AS (
  SELECT
    "pulse_exposures"."unit_id" AS "unit_id",
    "pulse_exposures"."grp" AS "grp",
    "pulse_exposures"."first_exposure" AS "first_exposure"
  FROM "pulse_exposures"
  WHERE "pulse_exposures"."groups_seen" = 1
    AND "pulse_exposures"."grp" IN ('control', 'treat')
),
"pulse_pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    ARG_MIN(CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_first_price__numerator" END AS DOUBLE), ("r"."pulse_ts", -(CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_first_price__numerator" END AS DOUBLE)))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_first_price__numerator" END AS DOUBLE) IS NOT NULL) AS "first_price__numerator",
    ARG_MIN(CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_first_price__numerator" END AS DOUBLE), ("r"."pulse_ts", -(CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_first_price__numerator" END AS DOUBLE)))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_first_price__numerator" END AS DOUBLE) IS NOT NULL) AS "first_price__numerator_pre",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_first_price__numerator" END) > 0 THEN 1 ELSE 0 END AS "first_price__denominator",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_first_price__numerator" END) > 0 THEN 1 ELSE 0 END AS "first_price__denominator_pre",
    ARG_MAX(CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE), ("r"."pulse_ts", CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE) IS NOT NULL) AS "latest_price__numerator",
    ARG_MAX(CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE), ("r"."pulse_ts", CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE) IS NOT NULL) AS "latest_price__numerator_pre",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END) > 0 THEN 1 ELSE 0 END AS "latest_price__denominator",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END) > 0 THEN 1 ELSE 0 END AS "latest_price__denominator_pre",
    ARG_MAX(CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL 7 DAY) THEN "r"."pulse_latest_price__numerator" END END AS DOUBLE), ("r"."pulse_ts", CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL 7 DAY) THEN "r"."pulse_latest_price__numerator" END END AS DOUBLE))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL 7 DAY) THEN "r"."pulse_latest_price__numerator" END END AS DOUBLE) IS NOT NULL) AS "latest_price_7d__numerator",
    ARG_MAX(CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE), ("r"."pulse_ts", CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE))) FILTER (WHERE CAST(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END AS DOUBLE) IS NOT NULL) AS "latest_price_7d__numerator_pre",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL 0 DAY) AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL 7 DAY) THEN "r"."pulse_latest_price__numerator" END END) > 0 THEN 1 ELSE 0 END AS "latest_price_7d__denominator",
    CASE WHEN COUNT(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_latest_price__numerator" END) > 0 THEN 1 ELSE 0 END AS "latest_price_7d__denominator_pre"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      CASE WHEN (kind = 'plan') THEN (price) END AS "pulse_first_price__numerator",
      (price) AS "pulse_latest_price__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= TIMESTAMP '2026-02-15 00:00:00'
      AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= ("u"."first_exposure" - INTERVAL 14 DAY)
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "u"."unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."first_price__numerator", 0) AS DOUBLE) AS "first_price__numerator",
    CAST(COALESCE("p0"."first_price__numerator_pre", 0) AS DOUBLE) AS "first_price__numerator_pre",
    CAST(COALESCE("p0"."first_price__denominator", 0) AS DOUBLE) AS "first_price__denominator",
    CAST(COALESCE("p0"."first_price__denominator_pre", 0) AS DOUBLE) AS "first_price__denominator_pre",
    CAST(COALESCE("p0"."latest_price__numerator", 0) AS DOUBLE) AS "latest_price__numerator",
    CAST(COALESCE("p0"."latest_price__numerator_pre", 0) AS DOUBLE) AS "latest_price__numerator_pre",
    CAST(COALESCE("p0"."latest_price__denominator", 0) AS DOUBLE) AS "latest_price__denominator",
    CAST(COALESCE("p0"."latest_price__denominator_pre", 0) AS DOUBLE) AS "latest_price__denominator_pre",
    CASE WHEN ("u"."first_exposure" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."latest_price_7d__numerator", 0) AS DOUBLE) END AS "latest_price_7d__numerator",
    CASE WHEN ("u"."first_exposure" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."latest_price_7d__numerator_pre", 0) AS DOUBLE) END AS "latest_price_7d__numerator_pre",
    CASE WHEN ("u"."first_exposure" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."latest_price_7d__denominator", 0) AS DOUBLE) END AS "latest_price_7d__denominator",
    CASE WHEN ("u"."first_exposure" + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(COALESCE("p0"."latest_price_7d__denominator_pre", 0) AS DOUBLE) END AS "latest_price_7d__denominator_pre"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pulse_pilots" AS (
  SELECT
    CASE WHEN SUM("first_price__denominator") <> 0 THEN SUM("first_price__numerator") / SUM("first_price__denominator") ELSE 0 END AS "first_price__shift_x",
    COALESCE(AVG("first_price__denominator"), 0) AS "first_price__center_y",
    CASE WHEN SUM("first_price__denominator_pre") <> 0 THEN SUM("first_price__numerator_pre") / SUM("first_price__denominator_pre") ELSE 0 END AS "first_price__shift_x0",
    COALESCE(AVG("first_price__denominator_pre"), 0) AS "first_price__center_y0",
    CASE WHEN SUM("latest_price__denominator") <> 0 THEN SUM("latest_price__numerator") / SUM("latest_price__denominator") ELSE 0 END AS "latest_price__shift_x",
    COALESCE(AVG("latest_price__denominator"), 0) AS "latest_price__center_y",
    CASE WHEN SUM("latest_price__denominator_pre") <> 0 THEN SUM("latest_price__numerator_pre") / SUM("latest_price__denominator_pre") ELSE 0 END AS "latest_price__shift_x0",
    COALESCE(AVG("latest_price__denominator_pre"), 0) AS "latest_price__center_y0",
    CASE WHEN SUM("latest_price_7d__denominator") <> 0 THEN SUM("latest_price_7d__numerator") / SUM("latest_price_7d__denominator") ELSE 0 END AS "latest_price_7d__shift_x",
    COALESCE(AVG("latest_price_7d__denominator"), 0) AS "latest_price_7d__center_y",
    CASE WHEN SUM("latest_price_7d__denominator_pre") <> 0 THEN SUM("latest_price_7d__numerator_pre") / SUM("latest_price_7d__denominator_pre") ELSE 0 END AS "latest_price_7d__shift_x0",
    COALESCE(AVG("latest_price_7d__denominator_pre"), 0) AS "latest_price_7d__center_y0"
  FROM "pulse_unit_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_unit_values".*,
    "pulse_unit_values"."first_price__numerator" - "pulse_pilots"."first_price__shift_x" * "pulse_unit_values"."first_price__denominator" AS "first_price__shifted_x",
    "pulse_unit_values"."first_price__denominator" - "pulse_pilots"."first_price__center_y" AS "first_price__shifted_y",
    "pulse_pilots"."first_price__shift_x" AS "first_price__shift_x",
    "pulse_unit_values"."first_price__numerator_pre" - "pulse_pilots"."first_price__shift_x0" * "pulse_unit_values"."first_price__denominator_pre" AS "first_price__shifted_x0",
    "pulse_unit_values"."first_price__denominator_pre" - "pulse_pilots"."first_price__center_y0" AS "first_price__shifted_y0",
    "pulse_pilots"."first_price__shift_x0" AS "first_price__shift_x0",
    "pulse_unit_values"."latest_price__numerator" - "pulse_pilots"."latest_price__shift_x" * "pulse_unit_values"."latest_price__denominator" AS "latest_price__shifted_x",
    "pulse_unit_values"."latest_price__denominator" - "pulse_pilots"."latest_price__center_y" AS "latest_price__shifted_y",
    "pulse_pilots"."latest_price__shift_x" AS "latest_price__shift_x",
    "pulse_unit_values"."latest_price__numerator_pre" - "pulse_pilots"."latest_price__shift_x0" * "pulse_unit_values"."latest_price__denominator_pre" AS "latest_price__shifted_x0",
    "pulse_unit_values"."latest_price__denominator_pre" - "pulse_pilots"."latest_price__center_y0" AS "latest_price__shifted_y0",
    "pulse_pilots"."latest_price__shift_x0" AS "latest_price__shift_x0",
    "pulse_unit_values"."latest_price_7d__numerator" - "pulse_pilots"."latest_price_7d__shift_x" * "pulse_unit_values"."latest_price_7d__denominator" AS "latest_price_7d__shifted_x",
    "pulse_unit_values"."latest_price_7d__denominator" - "pulse_pilots"."latest_price_7d__center_y" AS "latest_price_7d__shifted_y",
    "pulse_pilots"."latest_price_7d__shift_x" AS "latest_price_7d__shift_x",
    "pulse_unit_values"."latest_price_7d__numerator_pre" - "pulse_pilots"."latest_price_7d__shift_x0" * "pulse_unit_values"."latest_price_7d__denominator_pre" AS "latest_price_7d__shifted_x0",
    "pulse_unit_values"."latest_price_7d__denominator_pre" - "pulse_pilots"."latest_price_7d__center_y0" AS "latest_price_7d__shifted_y0",
    "pulse_pilots"."latest_price_7d__shift_x0" AS "latest_price_7d__shift_x0"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("first_price__shifted_x") AS "first_price__mean_x",
    VAR_SAMP("first_price__shifted_x") AS "first_price__var_x",
    AVG("first_price__denominator") AS "first_price__mean_y",
    VAR_SAMP("first_price__shifted_y") AS "first_price__var_y",
    COVAR_SAMP("first_price__shifted_x", "first_price__shifted_y") AS "first_price__cov_xy",
    MIN("first_price__shift_x") AS "first_price__shift_x",
    AVG("first_price__numerator") AS "first_price__raw_mean_x",
    AVG("first_price__shifted_x0") AS "first_price__mean_x0",
    VAR_SAMP("first_price__shifted_x0") AS "first_price__var_x0",
    COVAR_SAMP("first_price__shifted_x", "first_price__shifted_x0") AS "first_price__cov_xx0",
    MIN("first_price__shift_x0") AS "first_price__shift_x0",
    AVG("first_price__denominator_pre") AS "first_price__mean_y0",
    VAR_SAMP("first_price__shifted_y0") AS "first_price__var_y0",
    COVAR_SAMP("first_price__shifted_x0", "first_price__shifted_y0") AS "first_price__cov_x0y0",
    COVAR_SAMP("first_price__shifted_x", "first_price__shifted_y0") AS "first_price__cov_xy0",
    COVAR_SAMP("first_price__shifted_y", "first_price__shifted_x0") AS "first_price__cov_yx0",
    COVAR_SAMP("first_price__shifted_y", "first_price__shifted_y0") AS "first_price__cov_yy0",
    AVG("latest_price__shifted_x") AS "latest_price__mean_x",
    VAR_SAMP("latest_price__shifted_x") AS "latest_price__var_x",
    AVG("latest_price__denominator") AS "latest_price__mean_y",
    VAR_SAMP("latest_price__shifted_y") AS "latest_price__var_y",
    COVAR_SAMP("latest_price__shifted_x", "latest_price__shifted_y") AS "latest_price__cov_xy",
    MIN("latest_price__shift_x") AS "latest_price__shift_x",
    AVG("latest_price__numerator") AS "latest_price__raw_mean_x",
    AVG("latest_price__shifted_x0") AS "latest_price__mean_x0",
    VAR_SAMP("latest_price__shifted_x0") AS "latest_price__var_x0",
    COVAR_SAMP("latest_price__shifted_x", "latest_price__shifted_x0") AS "latest_price__cov_xx0",
    MIN("latest_price__shift_x0") AS "latest_price__shift_x0",
    AVG("latest_price__denominator_pre") AS "latest_price__mean_y0",
    VAR_SAMP("latest_price__shifted_y0") AS "latest_price__var_y0",
    COVAR_SAMP("latest_price__shifted_x0", "latest_price__shifted_y0") AS "latest_price__cov_x0y0",
    COVAR_SAMP("latest_price__shifted_x", "latest_price__shifted_y0") AS "latest_price__cov_xy0",
    COVAR_SAMP("latest_price__shifted_y", "latest_price__shifted_x0") AS "latest_price__cov_yx0",
    COVAR_SAMP("latest_price__shifted_y", "latest_price__shifted_y0") AS "latest_price__cov_yy0",
    COUNT("latest_price_7d__shifted_x") AS "latest_price_7d__n",
    AVG("latest_price_7d__shifted_x") AS "latest_price_7d__mean_x",
    VAR_SAMP("latest_price_7d__shifted_x") AS "latest_price_7d__var_x",
    AVG("latest_price_7d__denominator") AS "latest_price_7d__mean_y",
    VAR_SAMP("latest_price_7d__shifted_y") AS "latest_price_7d__var_y",
    COVAR_SAMP("latest_price_7d__shifted_x", "latest_price_7d__shifted_y") AS "latest_price_7d__cov_xy",
    MIN("latest_price_7d__shift_x") AS "latest_price_7d__shift_x",
    AVG("latest_price_7d__numerator") AS "latest_price_7d__raw_mean_x",
    AVG("latest_price_7d__shifted_x0") AS "latest_price_7d__mean_x0",
    VAR_SAMP("latest_price_7d__shifted_x0") AS "latest_price_7d__var_x0",
    COVAR_SAMP("latest_price_7d__shifted_x", "latest_price_7d__shifted_x0") AS "latest_price_7d__cov_xx0",
    MIN("latest_price_7d__shift_x0") AS "latest_price_7d__shift_x0",
    AVG("latest_price_7d__denominator_pre") AS "latest_price_7d__mean_y0",
    VAR_SAMP("latest_price_7d__shifted_y0") AS "latest_price_7d__var_y0",
    COVAR_SAMP("latest_price_7d__shifted_x0", "latest_price_7d__shifted_y0") AS "latest_price_7d__cov_x0y0",
    COVAR_SAMP("latest_price_7d__shifted_x", "latest_price_7d__shifted_y0") AS "latest_price_7d__cov_xy0",
    COVAR_SAMP("latest_price_7d__shifted_y", "latest_price_7d__shifted_x0") AS "latest_price_7d__cov_yx0",
    COVAR_SAMP("latest_price_7d__shifted_y", "latest_price_7d__shifted_y0") AS "latest_price_7d__cov_yy0"
  FROM "pulse_shifted_values"
  GROUP BY "grp"
),
"pulse_exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "pulse_exposures"
)
SELECT
  "pulse_moments"."grp",
  "pulse_moments"."n",
  "pulse_moments"."first_price__mean_x",
  "pulse_moments"."first_price__var_x",
  "pulse_moments"."first_price__mean_y",
  "pulse_moments"."first_price__var_y",
  "pulse_moments"."first_price__cov_xy",
  "pulse_moments"."first_price__shift_x",
  "pulse_moments"."first_price__raw_mean_x",
  "pulse_moments"."first_price__mean_x0",
  "pulse_moments"."first_price__var_x0",
  "pulse_moments"."first_price__cov_xx0",
  "pulse_moments"."first_price__shift_x0",
  "pulse_moments"."first_price__mean_y0",
  "pulse_moments"."first_price__var_y0",
  "pulse_moments"."first_price__cov_x0y0",
  "pulse_moments"."first_price__cov_xy0",
  "pulse_moments"."first_price__cov_yx0",
  "pulse_moments"."first_price__cov_yy0",
  "pulse_moments"."latest_price__mean_x",
  "pulse_moments"."latest_price__var_x",
  "pulse_moments"."latest_price__mean_y",
  "pulse_moments"."latest_price__var_y",
  "pulse_moments"."latest_price__cov_xy",
  "pulse_moments"."latest_price__shift_x",
  "pulse_moments"."latest_price__raw_mean_x",
  "pulse_moments"."latest_price__mean_x0",
  "pulse_moments"."latest_price__var_x0",
  "pulse_moments"."latest_price__cov_xx0",
  "pulse_moments"."latest_price__shift_x0",
  "pulse_moments"."latest_price__mean_y0",
  "pulse_moments"."latest_price__var_y0",
  "pulse_moments"."latest_price__cov_x0y0",
  "pulse_moments"."latest_price__cov_xy0",
  "pulse_moments"."latest_price__cov_yx0",
  "pulse_moments"."latest_price__cov_yy0",
  "pulse_moments"."latest_price_7d__n",
  "pulse_moments"."latest_price_7d__mean_x",
  "pulse_moments"."latest_price_7d__var_x",
  "pulse_moments"."latest_price_7d__mean_y",
  "pulse_moments"."latest_price_7d__var_y",
  "pulse_moments"."latest_price_7d__cov_xy",
  "pulse_moments"."latest_price_7d__shift_x",
  "pulse_moments"."latest_price_7d__raw_mean_x",
  "pulse_moments"."latest_price_7d__mean_x0",
  "pulse_moments"."latest_price_7d__var_x0",
  "pulse_moments"."latest_price_7d__cov_xx0",
  "pulse_moments"."latest_price_7d__shift_x0",
  "pulse_moments"."latest_price_7d__mean_y0",
  "pulse_moments"."latest_price_7d__var_y0",
  "pulse_moments"."latest_price_7d__cov_x0y0",
  "pulse_moments"."latest_price_7d__cov_xy0",
  "pulse_moments"."latest_price_7d__cov_yx0",
  "pulse_moments"."latest_price_7d__cov_yy0",
  "pulse_exclusions"."excluded_multiple_groups",
  "pulse_exclusions"."excluded_unknown_group"
FROM "pulse_exclusions"
LEFT JOIN "pulse_moments"
  ON 1 = 1
ORDER BY "pulse_moments"."grp"
