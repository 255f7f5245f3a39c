WITH
"pulse_exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS VARCHAR)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS VARCHAR)) AS "groups_seen"
  FROM (
SELECT org, variant, ts, exp_name
FROM raw.assignments
WHERE ts IS NOT NULL
  ) AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP_NTZ)
    AND "src"."ts" < CAST('2026-03-02 00:00:00' AS TIMESTAMP_NTZ)
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
    SUM("r"."pulse_order_value__numerator") AS "order_value__numerator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      CASE WHEN (amount > 0) THEN (amount) END AS "pulse_order_value__numerator"
    FROM (
SELECT o.org, o.ts, o.amount FROM raw.orders AS o
    ) AS "src"
    WHERE "src"."ts" >= CAST('2026-03-01 00:00:00' AS TIMESTAMP_NTZ)
      AND "src"."ts" < CAST('2026-03-02 00:00:00' AS TIMESTAMP_NTZ)
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < CAST('2026-03-02 00:00:00' AS TIMESTAMP_NTZ)
  GROUP BY "u"."unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."order_value__numerator", 0) AS DOUBLE) AS "order_value__numerator"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pulse_pilots" AS (
  SELECT
    COALESCE(AVG("order_value__numerator"), 0) AS "order_value__shift_x"
  FROM "pulse_unit_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_unit_values".*,
    "pulse_unit_values"."order_value__numerator" - "pulse_pilots"."order_value__shift_x" AS "order_value__shifted_x",
    "pulse_pilots"."order_value__shift_x" AS "order_value__shift_x"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("order_value__shifted_x") AS "order_value__mean_x",
    VAR_SAMP("order_value__shifted_x") AS "order_value__var_x",
    MIN("order_value__shift_x") AS "order_value__shift_x",
    AVG("order_value__numerator") AS "order_value__raw_mean_x"
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
  "pulse_moments"."order_value__mean_x",
  "pulse_moments"."order_value__var_x",
  "pulse_moments"."order_value__shift_x",
  "pulse_moments"."order_value__raw_mean_x",
  "pulse_exclusions"."excluded_multiple_groups",
  "pulse_exclusions"."excluded_unknown_group"
FROM "pulse_exclusions"
LEFT JOIN "pulse_moments"
  ON 1 = 1
ORDER BY "pulse_moments"."grp"
