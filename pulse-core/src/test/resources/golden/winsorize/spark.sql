WITH
`exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`
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
    `exposures`.`first_exposure` AS `first_exposure`
  FROM `exposures`
  WHERE `exposures`.`groups_seen` = 1
    AND `exposures`.`grp` IN ('control', 'treat')
),
`pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(`r`.`pulse_c0`) AS `a0`,
    SUM(`r`.`pulse_c1`) AS `a1`,
    COUNT(`r`.`pulse_c1`) AS `a2`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_c0`,
      CASE WHEN (event = 'purchase') THEN (revenue) END AS `pulse_c1`
    FROM `events` AS `src`
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `u`.`unit_id`
),
`unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`a0`, 0) AS DOUBLE) AS `v0`,
    CAST(COALESCE(`p0`.`a1`, 0) AS DOUBLE) AS `v1`,
    CAST(COALESCE(`p0`.`a2`, 0) AS DOUBLE) AS `v2`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`caps` AS (
  SELECT
    PERCENTILE(`v0`, 0.01) AS `m0_x_lower`,
    PERCENTILE(`v0`, 0.99) AS `m0_x_upper`,
    PERCENTILE(`v1`, 0.95) AS `m1_x_upper`,
    PERCENTILE(`v2`, 0.95) AS `m1_y_upper`
  FROM `unit_values`
),
`capped_values` AS (
  SELECT
    `unit_values`.`grp` AS `grp`,
    `unit_values`.`v0` AS `v0`,
    LEAST(GREATEST(`unit_values`.`v0`, `caps`.`m0_x_lower`), `caps`.`m0_x_upper`) AS `m0_x`,
    LEAST(`unit_values`.`v1`, `caps`.`m1_x_upper`) AS `m1_x`,
    LEAST(`unit_values`.`v2`, `caps`.`m1_y_upper`) AS `m1_y`
  FROM `unit_values`
  CROSS JOIN `caps`
),
`pilots` AS (
  SELECT
    COALESCE(AVG(`m0_x`), 0) AS `m0_shift_x`,
    CASE WHEN SUM(`m1_y`) <> 0 THEN SUM(`m1_x`) / SUM(`m1_y`) ELSE 0 END AS `m1_shift_x`,
    COALESCE(AVG(`m1_y`), 0) AS `m1_center_y`,
    COALESCE(AVG(`v0`), 0) AS `m2_shift_x`
  FROM `capped_values`
),
`shifted_values` AS (
  SELECT
    `capped_values`.*,
    `capped_values`.`m0_x` - `pilots`.`m0_shift_x` AS `s0_x`,
    `pilots`.`m0_shift_x` AS `m0_shift_x`,
    `capped_values`.`m1_x` - `pilots`.`m1_shift_x` * `capped_values`.`m1_y` AS `s1_x`,
    `capped_values`.`m1_y` - `pilots`.`m1_center_y` AS `s1_y`,
    `pilots`.`m1_shift_x` AS `m1_shift_x`,
    `capped_values`.`v0` - `pilots`.`m2_shift_x` AS `s2_x`,
    `pilots`.`m2_shift_x` AS `m2_shift_x`
  FROM `capped_values`
  CROSS JOIN `pilots`
),
`moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`s0_x`) AS `m0_mean_x`,
    VAR_SAMP(`s0_x`) AS `m0_var_x`,
    MIN(`m0_shift_x`) AS `m0_shift_x`,
    AVG(`m0_x`) AS `m0_raw_mean_x`,
    AVG(`s1_x`) AS `m1_mean_x`,
    VAR_SAMP(`s1_x`) AS `m1_var_x`,
    AVG(`m1_y`) AS `m1_mean_y`,
    VAR_SAMP(`s1_y`) AS `m1_var_y`,
    COVAR_SAMP(`s1_x`, `s1_y`) AS `m1_cov_xy`,
    MIN(`m1_shift_x`) AS `m1_shift_x`,
    AVG(`m1_x`) AS `m1_raw_mean_x`,
    AVG(`s2_x`) AS `m2_mean_x`,
    VAR_SAMP(`s2_x`) AS `m2_var_x`,
    MIN(`m2_shift_x`) AS `m2_shift_x`,
    AVG(`v0`) AS `m2_raw_mean_x`
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
  `moments`.`m0_mean_x`,
  `moments`.`m0_var_x`,
  `moments`.`m0_shift_x`,
  `moments`.`m0_raw_mean_x`,
  `moments`.`m1_mean_x`,
  `moments`.`m1_var_x`,
  `moments`.`m1_mean_y`,
  `moments`.`m1_var_y`,
  `moments`.`m1_cov_xy`,
  `moments`.`m1_shift_x`,
  `moments`.`m1_raw_mean_x`,
  `moments`.`m2_mean_x`,
  `moments`.`m2_var_x`,
  `moments`.`m2_shift_x`,
  `moments`.`m2_raw_mean_x`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
ORDER BY `moments`.`grp`
