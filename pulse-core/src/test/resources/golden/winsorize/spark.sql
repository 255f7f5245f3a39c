WITH
`exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`,
    RAND(0) AS `pulse_computed_once`
  FROM `exposures` AS `src`
  WHERE `src`.`exp_name` = 'exp'
    AND `src`.`org` IS NOT NULL
    AND `src`.`variant` IS NOT NULL
    AND `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
    AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `src`.`org`
),
`units` AS (
  SELECT
    `exposures`.`unit_id` AS `unit_id`,
    `exposures`.`grp` AS `grp`,
    `exposures`.`first_exposure` AS `first_exposure`,
    RAND(0) AS `pulse_computed_once`
  FROM `exposures`
  WHERE `exposures`.`groups_seen` = 1
    AND `exposures`.`grp` IN ('control', 'treat')
),
`pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(`r`.`pulse_revenue__numerator`) AS `revenue__numerator`,
    SUM(`r`.`pulse_avg_purchase_value__numerator`) AS `avg_purchase_value__numerator`,
    COUNT(`r`.`pulse_avg_purchase_value__numerator`) AS `avg_purchase_value__records`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_revenue__numerator`,
      CASE WHEN (event = 'purchase') THEN (revenue) END AS `pulse_avg_purchase_value__numerator`
    FROM `events` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `u`.`unit_id`
),
`unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`revenue__numerator`, 0) AS DOUBLE) AS `revenue__numerator`,
    CAST(COALESCE(`p0`.`avg_purchase_value__numerator`, 0) AS DOUBLE) AS `avg_purchase_value__numerator`,
    CAST(COALESCE(`p0`.`avg_purchase_value__records`, 0) AS DOUBLE) AS `avg_purchase_value__records`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`caps` AS (
  SELECT
    PERCENTILE(`revenue__numerator`, 0.01) AS `revenue__lower_cap_x`,
    PERCENTILE(`revenue__numerator`, 0.99) AS `revenue__upper_cap_x`,
    PERCENTILE(`avg_purchase_value__numerator`, 0.95) AS `avg_purchase_value__upper_cap_x`,
    PERCENTILE(`avg_purchase_value__records`, 0.95) AS `avg_purchase_value__upper_cap_y`
  FROM `unit_values`
),
`capped_values` AS (
  SELECT
    `unit_values`.`grp` AS `grp`,
    `unit_values`.`revenue__numerator` AS `revenue__numerator`,
    LEAST(GREATEST(`unit_values`.`revenue__numerator`, `caps`.`revenue__lower_cap_x`), `caps`.`revenue__upper_cap_x`) AS `revenue__capped_x`,
    LEAST(`unit_values`.`avg_purchase_value__numerator`, `caps`.`avg_purchase_value__upper_cap_x`) AS `avg_purchase_value__capped_x`,
    LEAST(`unit_values`.`avg_purchase_value__records`, `caps`.`avg_purchase_value__upper_cap_y`) AS `avg_purchase_value__capped_y`
  FROM `unit_values`
  CROSS JOIN `caps`
),
`pilots` AS (
  SELECT
    COALESCE(AVG(`revenue__capped_x`), 0) AS `revenue__shift_x`,
    CASE WHEN SUM(`avg_purchase_value__capped_y`) <> 0 THEN SUM(`avg_purchase_value__capped_x`) / SUM(`avg_purchase_value__capped_y`) ELSE 0 END AS `avg_purchase_value__shift_x`,
    COALESCE(AVG(`avg_purchase_value__capped_y`), 0) AS `avg_purchase_value__center_y`,
    COALESCE(AVG(`revenue__numerator`), 0) AS `revenue_raw__shift_x`
  FROM `capped_values`
),
`shifted_values` AS (
  SELECT
    `capped_values`.*,
    `capped_values`.`revenue__capped_x` - `pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `pilots`.`revenue__shift_x` AS `revenue__shift_x`,
    `capped_values`.`avg_purchase_value__capped_x` - `pilots`.`avg_purchase_value__shift_x` * `capped_values`.`avg_purchase_value__capped_y` AS `avg_purchase_value__shifted_x`,
    `capped_values`.`avg_purchase_value__capped_y` - `pilots`.`avg_purchase_value__center_y` AS `avg_purchase_value__shifted_y`,
    `pilots`.`avg_purchase_value__shift_x` AS `avg_purchase_value__shift_x`,
    `capped_values`.`revenue__numerator` - `pilots`.`revenue_raw__shift_x` AS `revenue_raw__shifted_x`,
    `pilots`.`revenue_raw__shift_x` AS `revenue_raw__shift_x`
  FROM `capped_values`
  CROSS JOIN `pilots`
),
`moments` AS (
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
  FROM `shifted_values`
  GROUP BY `grp`
),
`exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    COUNT(CASE WHEN `groups_seen` = 1 AND `grp` NOT IN ('control', 'treat') THEN 1 END) AS `excluded_unknown_group`
  FROM `exposures`
)
SELECT
  `moments`.`grp`,
  `moments`.`n`,
  `moments`.`revenue__mean_x`,
  `moments`.`revenue__var_x`,
  `moments`.`revenue__shift_x`,
  `moments`.`revenue__raw_mean_x`,
  `moments`.`avg_purchase_value__mean_x`,
  `moments`.`avg_purchase_value__var_x`,
  `moments`.`avg_purchase_value__mean_y`,
  `moments`.`avg_purchase_value__var_y`,
  `moments`.`avg_purchase_value__cov_xy`,
  `moments`.`avg_purchase_value__shift_x`,
  `moments`.`avg_purchase_value__raw_mean_x`,
  `moments`.`revenue_raw__mean_x`,
  `moments`.`revenue_raw__var_x`,
  `moments`.`revenue_raw__shift_x`,
  `moments`.`revenue_raw__raw_mean_x`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
ORDER BY `moments`.`grp`
