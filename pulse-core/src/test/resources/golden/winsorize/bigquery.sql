WITH
`pulse_exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`
  FROM `exposures` AS `src`
  WHERE `src`.`exp_name` = 'exp'
    AND `src`.`org` IS NOT NULL
    AND `src`.`variant` IS NOT NULL
    AND `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00+00:00'
    AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00+00:00'
  GROUP BY `src`.`org`
),
`pulse_units` AS (
  SELECT
    `pulse_exposures`.`unit_id` AS `unit_id`,
    `pulse_exposures`.`grp` AS `grp`,
    `pulse_exposures`.`first_exposure` AS `first_exposure`
  FROM `pulse_exposures`
  WHERE `pulse_exposures`.`groups_seen` = 1
    AND `pulse_exposures`.`grp` IN ('control', 'treat')
),
`pulse_pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(`r`.`pulse_revenue__numerator`) AS `revenue__numerator`,
    SUM(`r`.`pulse_avg_purchase_value__numerator`) AS `avg_purchase_value__numerator`,
    COUNT(`r`.`pulse_avg_purchase_value__numerator`) AS `avg_purchase_value__records`
  FROM `pulse_units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_revenue__numerator`,
      CASE WHEN (event = 'purchase') THEN (revenue) END AS `pulse_avg_purchase_value__numerator`
    FROM `events` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00+00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00+00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00+00:00'
  GROUP BY `u`.`unit_id`
),
`pulse_unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`revenue__numerator`, 0) AS FLOAT64) AS `revenue__numerator`,
    CAST(COALESCE(`p0`.`avg_purchase_value__numerator`, 0) AS FLOAT64) AS `avg_purchase_value__numerator`,
    CAST(COALESCE(`p0`.`avg_purchase_value__records`, 0) AS FLOAT64) AS `avg_purchase_value__records`
  FROM `pulse_units` AS `u`
  LEFT JOIN `pulse_pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pulse_caps` AS (
  SELECT
    (ARRAY_AGG(`revenue__numerator` IGNORE NULLS ORDER BY `revenue__numerator`)[SAFE_OFFSET(CAST(FLOOR(((COUNT(`revenue__numerator`) - 1) * 0.01)) AS INT64))] + (((COUNT(`revenue__numerator`) - 1) * 0.01) - FLOOR(((COUNT(`revenue__numerator`) - 1) * 0.01))) * (ARRAY_AGG(`revenue__numerator` IGNORE NULLS ORDER BY `revenue__numerator`)[SAFE_OFFSET(CAST(CEIL(((COUNT(`revenue__numerator`) - 1) * 0.01)) AS INT64))] - ARRAY_AGG(`revenue__numerator` IGNORE NULLS ORDER BY `revenue__numerator`)[SAFE_OFFSET(CAST(FLOOR(((COUNT(`revenue__numerator`) - 1) * 0.01)) AS INT64))])) AS `revenue__lower_cap_x`,
    (ARRAY_AGG(`revenue__numerator` IGNORE NULLS ORDER BY `revenue__numerator`)[SAFE_OFFSET(CAST(FLOOR(((COUNT(`revenue__numerator`) - 1) * 0.99)) AS INT64))] + (((COUNT(`revenue__numerator`) - 1) * 0.99) - FLOOR(((COUNT(`revenue__numerator`) - 1) * 0.99))) * (ARRAY_AGG(`revenue__numerator` IGNORE NULLS ORDER BY `revenue__numerator`)[SAFE_OFFSET(CAST(CEIL(((COUNT(`revenue__numerator`) - 1) * 0.99)) AS INT64))] - ARRAY_AGG(`revenue__numerator` IGNORE NULLS ORDER BY `revenue__numerator`)[SAFE_OFFSET(CAST(FLOOR(((COUNT(`revenue__numerator`) - 1) * 0.99)) AS INT64))])) AS `revenue__upper_cap_x`,
    (ARRAY_AGG(`avg_purchase_value__numerator` IGNORE NULLS ORDER BY `avg_purchase_value__numerator`)[SAFE_OFFSET(CAST(FLOOR(((COUNT(`avg_purchase_value__numerator`) - 1) * 0.95)) AS INT64))] + (((COUNT(`avg_purchase_value__numerator`) - 1) * 0.95) - FLOOR(((COUNT(`avg_purchase_value__numerator`) - 1) * 0.95))) * (ARRAY_AGG(`avg_purchase_value__numerator` IGNORE NULLS ORDER BY `avg_purchase_value__numerator`)[SAFE_OFFSET(CAST(CEIL(((COUNT(`avg_purchase_value__numerator`) - 1) * 0.95)) AS INT64))] - ARRAY_AGG(`avg_purchase_value__numerator` IGNORE NULLS ORDER BY `avg_purchase_value__numerator`)[SAFE_OFFSET(CAST(FLOOR(((COUNT(`avg_purchase_value__numerator`) - 1) * 0.95)) AS INT64))])) AS `avg_purchase_value__upper_cap_x`,
    (ARRAY_AGG(`avg_purchase_value__records` IGNORE NULLS ORDER BY `avg_purchase_value__records`)[SAFE_OFFSET(CAST(FLOOR(((COUNT(`avg_purchase_value__records`) - 1) * 0.95)) AS INT64))] + (((COUNT(`avg_purchase_value__records`) - 1) * 0.95) - FLOOR(((COUNT(`avg_purchase_value__records`) - 1) * 0.95))) * (ARRAY_AGG(`avg_purchase_value__records` IGNORE NULLS ORDER BY `avg_purchase_value__records`)[SAFE_OFFSET(CAST(CEIL(((COUNT(`avg_purchase_value__records`) - 1) * 0.95)) AS INT64))] - ARRAY_AGG(`avg_purchase_value__records` IGNORE NULLS ORDER BY `avg_purchase_value__records`)[SAFE_OFFSET(CAST(FLOOR(((COUNT(`avg_purchase_value__records`) - 1) * 0.95)) AS INT64))])) AS `avg_purchase_value__upper_cap_y`
  FROM `pulse_unit_values`
),
`pulse_capped_values` AS (
  SELECT
    `pulse_unit_values`.`grp` AS `grp`,
    `pulse_unit_values`.`revenue__numerator` AS `revenue__numerator`,
    LEAST(GREATEST(`pulse_unit_values`.`revenue__numerator`, `pulse_caps`.`revenue__lower_cap_x`), `pulse_caps`.`revenue__upper_cap_x`) AS `revenue__capped_x`,
    LEAST(`pulse_unit_values`.`avg_purchase_value__numerator`, `pulse_caps`.`avg_purchase_value__upper_cap_x`) AS `avg_purchase_value__capped_x`,
    LEAST(`pulse_unit_values`.`avg_purchase_value__records`, `pulse_caps`.`avg_purchase_value__upper_cap_y`) AS `avg_purchase_value__capped_y`
  FROM `pulse_unit_values`
  CROSS JOIN `pulse_caps`
),
`pulse_pilots` AS (
  SELECT
    COALESCE(AVG(`revenue__capped_x`), 0) AS `revenue__shift_x`,
    CASE WHEN SUM(`avg_purchase_value__capped_y`) <> 0 THEN SUM(`avg_purchase_value__capped_x`) / SUM(`avg_purchase_value__capped_y`) ELSE 0 END AS `avg_purchase_value__shift_x`,
    COALESCE(AVG(`avg_purchase_value__capped_y`), 0) AS `avg_purchase_value__center_y`,
    COALESCE(AVG(`revenue__numerator`), 0) AS `revenue_raw__shift_x`
  FROM `pulse_capped_values`
),
`pulse_shifted_values` AS (
  SELECT
    `pulse_capped_values`.*,
    `pulse_capped_values`.`revenue__capped_x` - `pulse_pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `pulse_pilots`.`revenue__shift_x` AS `revenue__shift_x`,
    `pulse_capped_values`.`avg_purchase_value__capped_x` - `pulse_pilots`.`avg_purchase_value__shift_x` * `pulse_capped_values`.`avg_purchase_value__capped_y` AS `avg_purchase_value__shifted_x`,
    `pulse_capped_values`.`avg_purchase_value__capped_y` - `pulse_pilots`.`avg_purchase_value__center_y` AS `avg_purchase_value__shifted_y`,
    `pulse_pilots`.`avg_purchase_value__shift_x` AS `avg_purchase_value__shift_x`,
    `pulse_capped_values`.`revenue__numerator` - `pulse_pilots`.`revenue_raw__shift_x` AS `revenue_raw__shifted_x`,
    `pulse_pilots`.`revenue_raw__shift_x` AS `revenue_raw__shift_x`
  FROM `pulse_capped_values`
  CROSS JOIN `pulse_pilots`
),
`pulse_moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`revenue__shifted_x`) AS `revenue__mean_x`,
    VAR_SAMP(`revenue__shifted_x`) AS `revenue__var_x`,
    MIN(`revenue__shift_x`) AS `revenue__shift_x`,
    AVG(`revenue__capped_x`) AS `revenue__raw_mean_x`,
    AVG(`avg_purchase_value__shifted_x`) AS `avg_purchase_value__mean_x`,
    VAR_SAMP(`avg_purchase_value__shifted_x`) AS `avg_purchase_value__var_x`,
    AVG(`avg_purchase_value__capped_y`) AS `avg_purchase_value__mean_y`,
    VAR_SAMP(`avg_purchase_value__shifted_y`) AS `avg_purchase_value__var_y`,
    COVAR_SAMP(`avg_purchase_value__shifted_x`, `avg_purchase_value__shifted_y`) AS `avg_purchase_value__cov_xy`,
    MIN(`avg_purchase_value__shift_x`) AS `avg_purchase_value__shift_x`,
    AVG(`avg_purchase_value__capped_x`) AS `avg_purchase_value__raw_mean_x`,
    AVG(`revenue_raw__shifted_x`) AS `revenue_raw__mean_x`,
    VAR_SAMP(`revenue_raw__shifted_x`) AS `revenue_raw__var_x`,
    MIN(`revenue_raw__shift_x`) AS `revenue_raw__shift_x`,
    AVG(`revenue__numerator`) AS `revenue_raw__raw_mean_x`
  FROM `pulse_shifted_values`
  GROUP BY `grp`
),
`pulse_exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    COUNT(CASE WHEN `groups_seen` = 1 AND `grp` NOT IN ('control', 'treat') THEN 1 END) AS `excluded_unknown_group`
  FROM `pulse_exposures`
)
SELECT
  `pulse_moments`.`grp`,
  `pulse_moments`.`n`,
  `pulse_moments`.`revenue__mean_x`,
  `pulse_moments`.`revenue__var_x`,
  `pulse_moments`.`revenue__shift_x`,
  `pulse_moments`.`revenue__raw_mean_x`,
  `pulse_moments`.`avg_purchase_value__mean_x`,
  `pulse_moments`.`avg_purchase_value__var_x`,
  `pulse_moments`.`avg_purchase_value__mean_y`,
  `pulse_moments`.`avg_purchase_value__var_y`,
  `pulse_moments`.`avg_purchase_value__cov_xy`,
  `pulse_moments`.`avg_purchase_value__shift_x`,
  `pulse_moments`.`avg_purchase_value__raw_mean_x`,
  `pulse_moments`.`revenue_raw__mean_x`,
  `pulse_moments`.`revenue_raw__var_x`,
  `pulse_moments`.`revenue_raw__shift_x`,
  `pulse_moments`.`revenue_raw__raw_mean_x`,
  `pulse_exclusions`.`excluded_multiple_groups`,
  `pulse_exclusions`.`excluded_unknown_group`
FROM `pulse_exclusions`
LEFT JOIN `pulse_moments`
  ON 1 = 1
ORDER BY `pulse_moments`.`grp`
