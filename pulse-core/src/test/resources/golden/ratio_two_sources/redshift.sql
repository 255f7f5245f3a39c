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
  GROUP BY "src"."org"
),
"pulse_units" AS (
  SELECT
    "pulse_exposures"."unit_id" AS "unit_id",
    "pulse_exposures"."grp" AS "grp",
    "pulse_exposures"."first_exposure" AS "first_exposure"
  FROM "pulse_exposures"
  WHERE "pulse_exposures"."groups_seen" = 1
),
"pulse_pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM("r"."pulse_revenue_per_session__numerator") AS "revenue_per_session__numerator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_revenue_per_session__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
  GROUP BY "u"."unit_id"
),
"pulse_pass_1" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    COUNT("r"."pulse_revenue_per_session__denominator") AS "revenue_per_session__denominator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      1 AS "pulse_revenue_per_session__denominator"
    FROM "sessions" AS "src"
    WHERE "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
  GROUP BY "u"."unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."revenue_per_session__numerator", 0) AS DOUBLE PRECISION) AS "revenue_per_session__numerator",
    CAST(COALESCE("p1"."revenue_per_session__denominator", 0) AS DOUBLE PRECISION) AS "revenue_per_session__denominator"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
  LEFT JOIN "pulse_pass_1" AS "p1"
    ON "p1"."unit_id" = "u"."unit_id"
),
"pulse_pilots" AS (
  SELECT
    CASE WHEN SUM("revenue_per_session__denominator") <> 0 THEN SUM("revenue_per_session__numerator") / SUM("revenue_per_session__denominator") ELSE 0 END AS "revenue_per_session__shift_x",
    COALESCE(AVG("revenue_per_session__denominator"), 0) AS "revenue_per_session__center_y",
    COALESCE(AVG("revenue_per_session__numerator"), 0) AS "revenue__shift_x"
  FROM "pulse_unit_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_unit_values".*,
    "pulse_unit_values"."revenue_per_session__numerator" - "pulse_pilots"."revenue_per_session__shift_x" * "pulse_unit_values"."revenue_per_session__denominator" AS "revenue_per_session__shifted_x",
    "pulse_unit_values"."revenue_per_session__denominator" - "pulse_pilots"."revenue_per_session__center_y" AS "revenue_per_session__shifted_y",
    "pulse_pilots"."revenue_per_session__shift_x" AS "revenue_per_session__shift_x",
    "pulse_unit_values"."revenue_per_session__numerator" - "pulse_pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pulse_pilots"."revenue__shift_x" AS "revenue__shift_x"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("revenue_per_session__shifted_x") AS "revenue_per_session__mean_x",
    VAR_SAMP("revenue_per_session__shifted_x") AS "revenue_per_session__var_x",
    AVG("revenue_per_session__denominator") AS "revenue_per_session__mean_y",
    VAR_SAMP("revenue_per_session__shifted_y") AS "revenue_per_session__var_y",
    CASE WHEN COUNT("revenue_per_session__shifted_x" * "revenue_per_session__shifted_y") < 2 THEN NULL WHEN MIN(CASE WHEN "revenue_per_session__shifted_y" IS NOT NULL THEN "revenue_per_session__shifted_x" END) = MAX(CASE WHEN "revenue_per_session__shifted_y" IS NOT NULL THEN "revenue_per_session__shifted_x" END) OR MIN(CASE WHEN "revenue_per_session__shifted_x" IS NOT NULL THEN "revenue_per_session__shifted_y" END) = MAX(CASE WHEN "revenue_per_session__shifted_x" IS NOT NULL THEN "revenue_per_session__shifted_y" END) THEN 0 ELSE (SUM("revenue_per_session__shifted_x" * "revenue_per_session__shifted_y") - SUM(CASE WHEN "revenue_per_session__shifted_y" IS NOT NULL THEN "revenue_per_session__shifted_x" END) * SUM(CASE WHEN "revenue_per_session__shifted_x" IS NOT NULL THEN "revenue_per_session__shifted_y" END) / COUNT("revenue_per_session__shifted_x" * "revenue_per_session__shifted_y")) / (COUNT("revenue_per_session__shifted_x" * "revenue_per_session__shifted_y") - 1) END AS "revenue_per_session__cov_xy",
    MIN("revenue_per_session__shift_x") AS "revenue_per_session__shift_x",
    AVG("revenue_per_session__numerator") AS "revenue_per_session__raw_mean_x",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue_per_session__numerator") AS "revenue__raw_mean_x"
  FROM "pulse_shifted_values"
  GROUP BY "grp"
),
"pulse_exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    0 AS "excluded_unknown_group"
  FROM "pulse_exposures"
)
SELECT
  "pulse_moments"."grp",
  "pulse_moments"."n",
  "pulse_moments"."revenue_per_session__mean_x",
  "pulse_moments"."revenue_per_session__var_x",
  "pulse_moments"."revenue_per_session__mean_y",
  "pulse_moments"."revenue_per_session__var_y",
  "pulse_moments"."revenue_per_session__cov_xy",
  "pulse_moments"."revenue_per_session__shift_x",
  "pulse_moments"."revenue_per_session__raw_mean_x",
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
