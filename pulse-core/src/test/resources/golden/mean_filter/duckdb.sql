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
    AND "pulse_exposures"."grp" IN ('control', 'treat_a', 'treat_b')
),
"pulse_pass_0" AS (
  SELECT
    "u"."unit_id" AS "unit_id",
    SUM("r"."pulse_avg_purchase_value__numerator") AS "avg_purchase_value__numerator",
    COUNT("r"."pulse_avg_purchase_value__numerator") AS "avg_purchase_value__records",
    CASE WHEN COUNT("r"."pulse_purchasing_orgs__numerator") > 0 THEN 1 ELSE 0 END AS "purchasing_orgs__numerator",
    COUNT(DISTINCT "r"."pulse_active_users__numerator") AS "active_users__numerator"
  FROM "pulse_units" AS "u"
  JOIN (
    SELECT
      "src"."org" AS "pulse_unit_id",
      "src"."ts" AS "pulse_ts",
      CASE WHEN (event = 'purchase') THEN (revenue) END AS "pulse_avg_purchase_value__numerator",
      CASE WHEN (event = 'purchase') THEN 1 END AS "pulse_purchasing_orgs__numerator",
      (user_id) AS "pulse_active_users__numerator"
    FROM "events" AS "src"
    WHERE "src"."ts" >= TIMESTAMP '2026-03-01 00:00:00'
      AND "src"."ts" < TIMESTAMP '2026-03-29 00:00:00'
  ) AS "r"
    ON "r"."pulse_unit_id" = "u"."unit_id"
    AND "r"."pulse_ts" >= "u"."first_exposure"
    AND "r"."pulse_ts" < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY "u"."unit_id"
),
"pulse_unit_values" AS (
  SELECT
    "u"."grp" AS "grp",
    CAST(COALESCE("p0"."avg_purchase_value__numerator", 0) AS DOUBLE) AS "avg_purchase_value__numerator",
    CAST(COALESCE("p0"."avg_purchase_value__records", 0) AS DOUBLE) AS "avg_purchase_value__records",
    CAST(COALESCE("p0"."purchasing_orgs__numerator", 0) AS DOUBLE) AS "purchasing_orgs__numerator",
    CAST(COALESCE("p0"."active_users__numerator", 0) AS DOUBLE) AS "active_users__numerator"
  FROM "pulse_units" AS "u"
  LEFT JOIN "pulse_pass_0" AS "p0"
    ON "p0"."unit_id" = "u"."unit_id"
),
"pulse_pilots" AS (
  SELECT
    CASE WHEN SUM("avg_purchase_value__records") <> 0 THEN SUM("avg_purchase_value__numerator") / SUM("avg_purchase_value__records") ELSE 0 END AS "avg_purchase_value__shift_x",
    COALESCE(AVG("avg_purchase_value__records"), 0) AS "avg_purchase_value__center_y",
    COALESCE(AVG("purchasing_orgs__numerator"), 0) AS "purchasing_orgs__shift_x",
    COALESCE(AVG("active_users__numerator"), 0) AS "active_users__shift_x",
    COALESCE(AVG("avg_purchase_value__numerator"), 0) AS "purchase_revenue__shift_x"
  FROM "pulse_unit_values"
),
"pulse_shifted_values" AS (
  SELECT
    "pulse_unit_values".*,
    "pulse_unit_values"."avg_purchase_value__numerator" - "pulse_pilots"."avg_purchase_value__shift_x" * "pulse_unit_values"."avg_purchase_value__records" AS "avg_purchase_value__shifted_x",
    "pulse_unit_values"."avg_purchase_value__records" - "pulse_pilots"."avg_purchase_value__center_y" AS "avg_purchase_value__shifted_y",
    "pulse_pilots"."avg_purchase_value__shift_x" AS "avg_purchase_value__shift_x",
    "pulse_unit_values"."purchasing_orgs__numerator" - "pulse_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shifted_x",
    "pulse_pilots"."purchasing_orgs__shift_x" AS "purchasing_orgs__shift_x",
    "pulse_unit_values"."active_users__numerator" - "pulse_pilots"."active_users__shift_x" AS "active_users__shifted_x",
    "pulse_pilots"."active_users__shift_x" AS "active_users__shift_x",
    "pulse_unit_values"."avg_purchase_value__numerator" - "pulse_pilots"."purchase_revenue__shift_x" AS "purchase_revenue__shifted_x",
    "pulse_pilots"."purchase_revenue__shift_x" AS "purchase_revenue__shift_x"
  FROM "pulse_unit_values"
  CROSS JOIN "pulse_pilots"
),
"pulse_moments" AS (
  SELECT
    "grp" AS "grp",
    COUNT(*) AS "n",
    AVG("avg_purchase_value__shifted_x") AS "avg_purchase_value__mean_x",
    VAR_SAMP("avg_purchase_value__shifted_x") AS "avg_purchase_value__var_x",
    AVG("avg_purchase_value__records") AS "avg_purchase_value__mean_y",
    VAR_SAMP("avg_purchase_value__shifted_y") AS "avg_purchase_value__var_y",
    COVAR_SAMP("avg_purchase_value__shifted_x", "avg_purchase_value__shifted_y") AS "avg_purchase_value__cov_xy",
    MIN("avg_purchase_value__shift_x") AS "avg_purchase_value__shift_x",
    AVG("avg_purchase_value__numerator") AS "avg_purchase_value__raw_mean_x",
    AVG("purchasing_orgs__shifted_x") AS "purchasing_orgs__mean_x",
    VAR_SAMP("purchasing_orgs__shifted_x") AS "purchasing_orgs__var_x",
    MIN("purchasing_orgs__shift_x") AS "purchasing_orgs__shift_x",
    AVG("purchasing_orgs__numerator") AS "purchasing_orgs__raw_mean_x",
    AVG("active_users__shifted_x") AS "active_users__mean_x",
    VAR_SAMP("active_users__shifted_x") AS "active_users__var_x",
    MIN("active_users__shift_x") AS "active_users__shift_x",
    AVG("active_users__numerator") AS "active_users__raw_mean_x",
    AVG("purchase_revenue__shifted_x") AS "purchase_revenue__mean_x",
    VAR_SAMP("purchase_revenue__shifted_x") AS "purchase_revenue__var_x",
    MIN("purchase_revenue__shift_x") AS "purchase_revenue__shift_x",
    AVG("avg_purchase_value__numerator") AS "purchase_revenue__raw_mean_x"
  FROM "pulse_shifted_values"
  GROUP BY "grp"
),
"pulse_exclusions" AS (
  SELECT
    COUNT(CASE WHEN "groups_seen" > 1 THEN 1 END) AS "excluded_multiple_groups",
    COUNT(CASE WHEN "groups_seen" = 1 AND "grp" NOT IN ('control', 'treat_a', 'treat_b') THEN 1 END) AS "excluded_unknown_group"
  FROM "pulse_exposures"
)
SELECT
  "pulse_moments"."grp",
  "pulse_moments"."n",
  "pulse_moments"."avg_purchase_value__mean_x",
  "pulse_moments"."avg_purchase_value__var_x",
  "pulse_moments"."avg_purchase_value__mean_y",
  "pulse_moments"."avg_purchase_value__var_y",
  "pulse_moments"."avg_purchase_value__cov_xy",
  "pulse_moments"."avg_purchase_value__shift_x",
  "pulse_moments"."avg_purchase_value__raw_mean_x",
  "pulse_moments"."purchasing_orgs__mean_x",
  "pulse_moments"."purchasing_orgs__var_x",
  "pulse_moments"."purchasing_orgs__shift_x",
  "pulse_moments"."purchasing_orgs__raw_mean_x",
  "pulse_moments"."active_users__mean_x",
  "pulse_moments"."active_users__var_x",
  "pulse_moments"."active_users__shift_x",
  "pulse_moments"."active_users__raw_mean_x",
  "pulse_moments"."purchase_revenue__mean_x",
  "pulse_moments"."purchase_revenue__var_x",
  "pulse_moments"."purchase_revenue__shift_x",
  "pulse_moments"."purchase_revenue__raw_mean_x",
  "pulse_exclusions"."excluded_multiple_groups",
  "pulse_exclusions"."excluded_unknown_group"
FROM "pulse_exclusions"
LEFT JOIN "pulse_moments"
  ON 1 = 1
ORDER BY "pulse_moments"."grp"
