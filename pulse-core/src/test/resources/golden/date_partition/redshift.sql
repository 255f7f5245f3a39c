WITH
"exposures" AS (
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
"units" AS (
  SELECT
    "exposures"."unit_id" AS "unit_id",
    "exposures"."grp" AS "grp",
    "exposures"."first_exposure" AS "first_exposure"
  FROM "exposures"
  WHERE "exposures"."groups_seen" = 1
    AND "exposures"."grp" IN ('control', 'treat')
),
"pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM(CASE WHEN "r"."pulse_ts" >= "u"."first_exposure" THEN "r"."pulse_revenue__numerator" END) AS "revenue__numerator",
    SUM(CASE WHEN "r"."pulse_ts" < "u"."first_exposure" THEN "r"."pulse_revenue__numerator" END) AS "revenue__numerator_pre"
  FROM "units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_revenue__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= CAST('2026-02-22 00:00:00' AS TIMESTAMP)
      AND "src"."ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= ("u"."first_exposure" - INTERVAL '7 days')
    AND "r"."pulse_ts" < CAST('2026-03-29 00:00:00' AS TIMESTAMP)
  GROUP BY "u"."unit_id"
),
"unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."revenue__numerator", 0) AS DOUBLE PRECISION) AS "revenue__numerator",
    CAST(COALESCE("p0"."revenue__numerator_pre", 0) AS DOUBLE PRECISION) AS "revenue__numerator_pre"
  FROM "units" AS "u"
  LEFT JOIN "pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pilots" AS (
  SELECT
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x",
    COALESCE(AVG("revenue__numerator_pre"), 0) AS "revenue__shift_x0"
  FROM "unit_values"
),
"shifted_values" AS (
  SELECT
    "unit_values".*,
    "unit_values"."revenue__numerator" - "pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pilots"."revenue__shift_x" AS "revenue__shift_x",
    "unit_values"."revenue__numerator_pre" - "pilots"."revenue__shift_x0" AS "revenue__shifted_x0",
    "pilots"."revenue__shift_x0" AS "revenue__shift_x0"
  FROM "unit_values"
  CROSS JOIN "pilots"
),
"moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x",
    AVG("revenue__shifted_x0") AS "revenue__mean_x0",
    VAR_SAMP("revenue__shifted_x0") AS "revenue__var_x0",
    CASE WHEN COUNT("revenue__shifted_x" * "revenue__shifted_x0") < 2 THEN NULL WHEN MIN(CASE WHEN "revenue__shifted_x0" IS NOT NULL THEN "revenue__shifted_x" END) = MAX(CASE WHEN "revenue__shifted_x0" IS NOT NULL THEN "revenue__shifted_x" END) OR MIN(CASE WHEN "revenue__shifted_x" IS NOT NULL THEN "revenue__shifted_x0" END) = MAX(CASE WHEN "revenue__shifted_x" IS NOT NULL THEN "revenue__shifted_x0" END) THEN 0 ELSE (SUM("revenue__shifted_x" * "revenue__shifted_x0") - SUM(CASE WHEN "revenue__shifted_x0" IS NOT NULL THEN "revenue__shifted_x" END) * SUM(CASE WHEN "revenue__shifted_x" IS NOT NULL THEN "revenue__shifted_x0" END) / COUNT("revenue__shifted_x" * "revenue__shifted_x0")) / (COUNT("revenue__shifted_x" * "revenue__shifted_x0") - 1) END AS "revenue__cov_xx0",
    MIN("revenue__shift_x0") AS "revenue__shift_x0"
  FROM "shifted_values"
  GROUP BY "grp"
),
"exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "exposures"
)
SELECT
  "moments"."grp",
  "moments"."n",
  "moments"."revenue__mean_x",
  "moments"."revenue__var_x",
  "moments"."revenue__shift_x",
  "moments"."revenue__raw_mean_x",
  "moments"."revenue__mean_x0",
  "moments"."revenue__var_x0",
  "moments"."revenue__cov_xx0",
  "moments"."revenue__shift_x0",
  "exclusions"."excluded_multiple_groups",
  "exclusions"."excluded_unknown_group"
FROM "exclusions"
LEFT JOIN "moments"
  ON 1 = 1
ORDER BY "moments"."grp"
