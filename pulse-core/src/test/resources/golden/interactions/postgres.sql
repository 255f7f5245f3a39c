WITH
"other_exposures0" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN(CAST("src"."variant" AS TEXT)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS TEXT)) AS "groups_seen"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'pricing'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= TIMESTAMP '2026-02-20 00:00:00'
    AND "src"."ts" < TIMESTAMP '2026-03-21 00:00:00'
  GROUP BY "src"."org"
),
"other_exposures1" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN(CAST("src"."variant" AS TEXT)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS TEXT)) AS "groups_seen"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'search'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= TIMESTAMP '2026-03-05 00:00:00'
  GROUP BY "src"."org"
),
"exposures" AS (
  SELECT
    "src"."org" AS "unit_id",
    MIN("src"."ts") AS "first_exposure",
    MIN(CAST("src"."variant" AS TEXT)) AS "grp",
    COUNT(DISTINCT CAST("src"."variant" AS TEXT)) AS "groups_seen",
    (ARRAY_AGG(COALESCE(CAST("src"."country" AS TEXT), '(null)') ORDER BY "src"."ts") FILTER (WHERE COALESCE(CAST("src"."country" AS TEXT), '(null)') IS NOT NULL))[1] AS "d0"
  FROM "exposures" AS "src"
  WHERE "src"."exp_name" = 'exp'
    AND "src"."org" IS NOT NULL
    AND "src"."variant" IS NOT NULL
    AND "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
    AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "src"."org"
),
"units" AS (
  SELECT
    "exposures"."unit_id" AS "unit_id",
    "exposures"."grp" AS "grp",
    "exposures"."first_exposure" AS "first_exposure",
    "exposures"."d0" AS "d0",
    CASE WHEN "other0"."groups_seen" = 1 AND "other0"."grp" IN ('control', 'high') THEN "other0"."grp" ELSE '(not in experiment)' END AS "d1",
    CASE WHEN "other1"."groups_seen" = 1 THEN "other1"."grp" ELSE '(not in experiment)' END AS "d2"
  FROM "exposures"
  LEFT JOIN "other_exposures0" AS "other0"
    ON "other0"."unit_id" = "exposures"."unit_id"
  LEFT JOIN "other_exposures1" AS "other1"
    ON "other1"."unit_id" = "exposures"."unit_id"
  WHERE "exposures"."groups_seen" = 1
    AND "exposures"."grp" IN ('control', 'treat')
),
"pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM("r"."pulse_revenue__numerator") AS "revenue__numerator"
  FROM "units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      (revenue) AS "pulse_revenue__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
      AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "u"."unit_id"
),
"unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    "u"."d0" AS "d0",
    "u"."d1" AS "d1",
    "u"."d2" AS "d2",
    CAST(COALESCE("p0"."revenue__numerator", 0) AS DOUBLE PRECISION) AS "revenue__numerator"
  FROM "units" AS "u"
  LEFT JOIN "pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"dimension_counts" AS (
  SELECT
    "unit_values".*,
    COUNT(*) OVER (PARTITION BY "d0") AS "d0_units"
  FROM "unit_values"
),
"dimension_buckets" AS (
  SELECT
    "dimension_counts".*,
    CASE WHEN DENSE_RANK() OVER (ORDER BY "d0_units" DESC, "d0" COLLATE "C") <= 5 THEN "d0" ELSE '(other)' END AS "d0_bucket",
    "d1" AS "d1_bucket",
    "d2" AS "d2_bucket"
  FROM "dimension_counts"
),
"pilots" AS (
  SELECT
    COALESCE(AVG("revenue__numerator"), 0) AS "revenue__shift_x"
  FROM "dimension_buckets"
),
"shifted_values" AS (
  SELECT
    "dimension_buckets".*,
    "dimension_buckets"."revenue__numerator" - "pilots"."revenue__shift_x" AS "revenue__shifted_x",
    "pilots"."revenue__shift_x" AS "revenue__shift_x"
  FROM "dimension_buckets"
  CROSS JOIN "pilots"
),
"moments" AS (
  SELECT
    "grp" AS "grp",
    CASE WHEN "d0_bucket" IS NOT NULL THEN 'country' WHEN "d1_bucket" IS NOT NULL THEN 'experiment:pricing' WHEN "d2_bucket" IS NOT NULL THEN 'experiment:search' END AS "dimension",
    COALESCE("d0_bucket", "d1_bucket", "d2_bucket") AS "dimension_value",
    COUNT(*) AS "n",
    AVG("revenue__shifted_x") AS "revenue__mean_x",
    VAR_SAMP("revenue__shifted_x") AS "revenue__var_x",
    MIN("revenue__shift_x") AS "revenue__shift_x",
    AVG("revenue__numerator") AS "revenue__raw_mean_x"
  FROM "shifted_values"
  GROUP BY GROUPING SETS (("grp"), ("grp", "d0_bucket"), ("grp", "d1_bucket"), ("grp", "d2_bucket"))
),
"exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat') THEN 1 END) AS "excluded_unknown_group"
  FROM "exposures"
)
SELECT
  "moments"."grp",
  "moments"."dimension",
  "moments"."dimension_value",
  "moments"."n",
  "moments"."revenue__mean_x",
  "moments"."revenue__var_x",
  "moments"."revenue__shift_x",
  "moments"."revenue__raw_mean_x",
  "exclusions"."excluded_multiple_groups",
  "exclusions"."excluded_unknown_group"
FROM "exclusions"
LEFT JOIN "moments"
  ON 1 = 1
ORDER BY "moments"."dimension" NULLS FIRST, "moments"."dimension_value" NULLS FIRST, "moments"."grp"
