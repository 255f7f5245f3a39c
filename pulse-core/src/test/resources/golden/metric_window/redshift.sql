WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR(65535))) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR(65535))) AS "groups_seen"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP)
    AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP)
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
    SUM(CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '0 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '7 days') THEN "r"."pulse_revenue_7d__numerator" END) AS "revenue_7d__numerator",
    SUM(CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '1 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '3 days') THEN "r"."pulse_revenue_7d__numerator" END) AS "revenue_per_user_d1_3__numerator",
    COUNT(DISTINCT CASE WHEN "r"."pulse_ts" >= ("u"."first_exposure" + INTERVAL '1 days') AND "r"."pulse_ts" < ("u"."first_exposure" + INTERVAL '3 days') THEN "r"."pulse_revenue_per_user_d1_3__denominator" END) AS "revenue_per_user_d1_3__denominator",
    SUM("r"."pulse_revenue_7d__numerator") AS "revenue__numerator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_revenue_7d__numerator",
      (user_id) AS "pulse_revenue_per_user_d1_3__denominator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP)
      AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP)
  GROUP BY "u"."unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CASE WHEN ("u"."first_exposure" + INTERVAL '7 days') <= CAST('2026-03-29 00:00:00' AS TIMESTAMP) THEN CAST(COALESCE("p0"."revenue_7d__numerator", 0) AS DOUBLE PRECISION) END AS "revenue_7d__numerator",
    CASE WHEN ("u"."first_exposure" + INTERVAL '3 days') <= CAST('2026-03-29 00:00:00' AS TIMESTAMP) THEN CAST(COALESCE("p0"."revenue_per_user_d1_3__numerator", 0) AS DOUBLE PRECISION) END AS "revenue_per_user_d1_3__numerator",
    CASE WHEN ("u"."first_exposure" + INTERVAL '3 days') <= CAST('2026-03-29 00:00:00' AS TIMESTAMP) THEN CAST(COALESCE("p0"."revenue_per_user_d1_3__denominator", 0) AS DOUBLE PRECISION) END AS "revenue_per_user_d1_3__denominator",
    CAST(COALESCE("p0"."revenue__numerator", 0) AS DOUBLE PRECISION) AS "revenue__numerator"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pulse_caps" AS (
  SELECT
    PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY "revenue_per_user_d1_3__numerator") AS "revenue_per_user_d1_3__upper_cap_x",
    PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY "revenue_per_user_d1_3__denominator") AS "revenue_per_user_d1_3__upper_cap_y"
  FROM "pulse_unit_values"
),
"pulse_capped_values" AS (
  SELECT
    "pulse_unit_values"."grp" AS "grp",
    "pulse_unit_values"."revenue_7d__numerator" AS "revenue_7d__numerator",
    "pulse_unit_values"."revenue__numerator" AS "revenue__numerator",
    CASE WHEN "pulse_unit_values"."revenue_per_user_d1_3__numerator" IS NOT NULL THEN LEAST("pulse_unit_values"."revenue_per_user_d1_3__numerator", "pulse_caps"."revenue_per_user_d1_3__upper_cap_x") END AS "revenue_per_user_d1_3__capped_x",
    CASE WHEN "pulse_unit_values"."revenue_per_user_d1_3__denominator" IS NOT NULL THEN LEAST("pulse_unit_values"."revenue_per_user_d1_3__denominator", "pulse_caps"."revenue_per_user_d1_3__upper_cap_y") END AS "revenue_per_user_d1_3__capped_y"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_caps"
),
"pulse_pilots" AS (
  SELECT
    COALESCE(AVG("revenue_7d__numerator"), 0) AS "revenue_7d__shift_x",
    CASE WHEN SUM("revenue_per_user_d1_3__capped_y") <> 0 THEN SUM("revenue_per_user_d1_3__capped_x") / SUM("revenue_per_user_d1_3__capped_y") ELSE 0 END AS "revenue_per_user_d1_3__shift_x",
    COALESCE(AVG("revenue_per_user_d1_3__capped_y"), 0) AS "revenue_per_user_d1_3__center_y",
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x"
  FROM "pulse_capped_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_capped_values".*,
    "pulse_capped_values"."revenue_7d__numerator" - "pulse_pilots"."revenue_7d__shift_x" AS "revenue_7d__shifted_x",
    "pulse_pilots"."revenue_7d__shift_x" AS "revenue_7d__shift_x",
    "pulse_capped_values"."revenue_per_user_d1_3__capped_x" - "pulse_pilots"."revenue_per_user_d1_3__shift_x" * "pulse_capped_values"."revenue_per_user_d1_3__capped_y" AS "revenue_per_user_d1_3__shifted_x",
    "pulse_capped_values"."revenue_per_user_d1_3__capped_y" - "pulse_pilots"."revenue_per_user_d1_3__center_y" AS "revenue_per_user_d1_3__shifted_y",
    "pulse_pilots"."revenue_per_user_d1_3__shift_x" AS "revenue_per_user_d1_3__shift_x",
    "pulse_capped_values"."revenue__numerator" - "pulse_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_pilots"."revenue__shift_x" AS "revenue__shift_x"
  FROM "pulse_capped_values"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    COUNT("revenue_7d__shifted_x") AS "revenue_7d__n",
    AVG("revenue_7d__shifted_x") AS "revenue_7d__mean_x",
    VAR_SAMP("revenue_7d__shifted_x") AS "revenue_7d__var_x",
    MIN("revenue_7d__shift_x") AS "revenue_7d__shift_x",
    AVG("revenue_7d__numerator") AS "revenue_7d__raw_mean_x",
    COUNT("revenue_per_user_d1_3__shifted_x") AS "revenue_per_user_d1_3__n",
    AVG("revenue_per_user_d1_3__shifted_x") AS "revenue_per_user_d1_3__mean_x",
    VAR_SAMP("revenue_per_user_d1_3__shifted_x") AS "revenue_per_user_d1_3__var_x",
    AVG("revenue_per_user_d1_3__capped_y") AS "revenue_per_user_d1_3__mean_y",
    VAR_SAMP("revenue_per_user_d1_3__shifted_y") AS "revenue_per_user_d1_3__var_y",
    CASE WHEN COUNT("revenue_per_user_d1_3__shifted_x" * "revenue_per_user_d1_3__shifted_y") < 2 THEN NULL WHEN MIN(CASE WHEN "revenue_per_user_d1_3__shifted_y" IS NOT NULL THEN "revenue_per_user_d1_3__shifted_x" END) = MAX(CASE WHEN "revenue_per_user_d1_3__shifted_y" IS NOT NULL THEN "revenue_per_user_d1_3__shifted_x" END) OR MIN(CASE WHEN "revenue_per_user_d1_3__shifted_x" IS NOT NULL THEN "revenue_per_user_d1_3__shifted_y" END) = MAX(CASE WHEN "revenue_per_user_d1_3__shifted_x" IS NOT NULL THEN "revenue_per_user_d1_3__shifted_y" END) THEN 0 ELSE (SUM("revenue_per_user_d1_3__shifted_x" * "revenue_per_user_d1_3__shifted_y") - SUM(CASE WHEN "revenue_per_user_d1_3__shifted_y" IS NOT NULL THEN "revenue_per_user_d1_3__shifted_x" END) * SUM(CASE WHEN "revenue_per_user_d1_3__shifted_x" IS NOT NULL THEN "revenue_per_user_d1_3__shifted_y" END) / COUNT("revenue_per_user_d1_3__shifted_x" * "revenue_per_user_d1_3__shifted_y")) / (COUNT("revenue_per_user_d1_3__shifted_x" * "revenue_per_user_d1_3__shifted_y") - 1) END AS "revenue_per_user_d1_3__cov_xy",
    MIN("revenue_per_user_d1_3__shift_x") AS "revenue_per_user_d1_3__shift_x",
    AVG("revenue_per_user_d1_3__capped_x") AS "revenue_per_user_d1_3__raw_mean_x",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x"
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
  "pulse_moments"."revenue_7d__n",
  "pulse_moments"."revenue_7d__mean_x",
  "pulse_moments"."revenue_7d__var_x",
  "pulse_moments"."revenue_7d__shift_x",
  "pulse_moments"."revenue_7d__raw_mean_x",
  "pulse_moments"."revenue_per_user_d1_3__n",
  "pulse_moments"."revenue_per_user_d1_3__mean_x",
  "pulse_moments"."revenue_per_user_d1_3__var_x",
  "pulse_moments"."revenue_per_user_d1_3__mean_y",
  "pulse_moments"."revenue_per_user_d1_3__var_y",
  "pulse_moments"."revenue_per_user_d1_3__cov_xy",
  "pulse_moments"."revenue_per_user_d1_3__shift_x",
  "pulse_moments"."revenue_per_user_d1_3__raw_mean_x",
  "pulse_moments"."revenue__mean_x",
  "pulse_moments"."revenue__var_x",
  "pulse_moments"."revenue__shift_x",
  "pulse_moments"."revenue__raw_mean_x",
  "pulse_exclusions"."excluded_multiple_groups",
  "pulse_exclusions"."excluded_unknown_group"
FROM "pulse_exclusions"
LEFT JOIN "pulse_moments"
  ON 1 = 1
ORDER BY "pulse_moments"."grp"
