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
    SUM(CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_c0` END) AS `a0`,
    SUM(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_c0` END) AS `a0_pre`,
    CASE WHEN COUNT(CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_c1` END) > 0 THEN 1 ELSE 0 END AS `a2`,
    CASE WHEN COUNT(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_c1` END) > 0 THEN 1 ELSE 0 END AS `a2_pre`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_c0`,
      CASE WHEN (event = 'purchase') THEN 1 END AS `pulse_c1`
    FROM `events` AS `src`
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= (`u`.`first_exposure` - INTERVAL 14 DAY)
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `u`.`unit_id`
),
`pass_1` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    COUNT(CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_c0` END) AS `a1`,
    COUNT(CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_c0` END) AS `a1_pre`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      1 AS `pulse_c0`
    FROM `sessions` AS `src`
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= (`u`.`first_exposure` - INTERVAL 14 DAY)
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `u`.`unit_id`
),
`unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`a0`, 0) AS DOUBLE) AS `v0`,
    CAST(COALESCE(`p0`.`a0_pre`, 0) AS DOUBLE) AS `v0_pre`,
    CAST(COALESCE(`p0`.`a2`, 0) AS DOUBLE) AS `v2`,
    CAST(COALESCE(`p0`.`a2_pre`, 0) AS DOUBLE) AS `v2_pre`,
    CAST(COALESCE(`p1`.`a1`, 0) AS DOUBLE) AS `v1`,
    CAST(COALESCE(`p1`.`a1_pre`, 0) AS DOUBLE) AS `v1_pre`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
  LEFT JOIN `pass_1` AS `p1`
    ON `p1`.`unit_id` = `u`.`unit_id`
),
`pilots` AS (
  SELECT
    COALESCE(AVG(`v0`), 0) AS `m0_shift_x`,
    COALESCE(AVG(`v0_pre`), 0) AS `m0_shift_x0`,
    CASE WHEN SUM(`v1`) <> 0 THEN SUM(`v0`) / SUM(`v1`) ELSE 0 END AS `m1_shift_x`,
    COALESCE(AVG(`v1`), 0) AS `m1_center_y`,
    CASE WHEN SUM(`v1_pre`) <> 0 THEN SUM(`v0_pre`) / SUM(`v1_pre`) ELSE 0 END AS `m1_shift_x0`,
    COALESCE(AVG(`v1_pre`), 0) AS `m1_center_y0`,
    COALESCE(AVG(`v2`), 0) AS `m2_shift_x`,
    COALESCE(AVG(`v2_pre`), 0) AS `m2_shift_x0`
  FROM `unit_values`
),
`shifted_values` AS (
  SELECT
    `unit_values`.*,
    `unit_values`.`v0` - `pilots`.`m0_shift_x` AS `s0_x`,
    `pilots`.`m0_shift_x` AS `m0_shift_x`,
    `unit_values`.`v0_pre` - `pilots`.`m0_shift_x0` AS `s0_x0`,
    `pilots`.`m0_shift_x0` AS `m0_shift_x0`,
    `unit_values`.`v0` - `pilots`.`m1_shift_x` * `unit_values`.`v1` AS `s1_x`,
    `unit_values`.`v1` - `pilots`.`m1_center_y` AS `s1_y`,
    `pilots`.`m1_shift_x` AS `m1_shift_x`,
    `unit_values`.`v0_pre` - `pilots`.`m1_shift_x0` * `unit_values`.`v1_pre` AS `s1_x0`,
    `unit_values`.`v1_pre` - `pilots`.`m1_center_y0` AS `s1_y0`,
    `pilots`.`m1_shift_x0` AS `m1_shift_x0`,
    `unit_values`.`v2` - `pilots`.`m2_shift_x` AS `s2_x`,
    `pilots`.`m2_shift_x` AS `m2_shift_x`,
    `unit_values`.`v2_pre` - `pilots`.`m2_shift_x0` AS `s2_x0`,
    `pilots`.`m2_shift_x0` AS `m2_shift_x0`
  FROM `unit_values`
  CROSS JOIN `pilots`
),
`moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`s0_x`) AS `m0_mean_x`,
    VAR_SAMP(`s0_x`) AS `m0_var_x`,
    MIN(`m0_shift_x`) AS `m0_shift_x`,
    AVG(`v0`) AS `m0_raw_mean_x`,
    AVG(`s0_x0`) AS `m0_mean_x0`,
    VAR_SAMP(`s0_x0`) AS `m0_var_x0`,
    COVAR_SAMP(`s0_x`, `s0_x0`) AS `m0_cov_xx0`,
    MIN(`m0_shift_x0`) AS `m0_shift_x0`,
    AVG(`s1_x`) AS `m1_mean_x`,
    VAR_SAMP(`s1_x`) AS `m1_var_x`,
    AVG(`v1`) AS `m1_mean_y`,
    VAR_SAMP(`s1_y`) AS `m1_var_y`,
    COVAR_SAMP(`s1_x`, `s1_y`) AS `m1_cov_xy`,
    MIN(`m1_shift_x`) AS `m1_shift_x`,
    AVG(`v0`) AS `m1_raw_mean_x`,
    AVG(`s1_x0`) AS `m1_mean_x0`,
    VAR_SAMP(`s1_x0`) AS `m1_var_x0`,
    COVAR_SAMP(`s1_x`, `s1_x0`) AS `m1_cov_xx0`,
    MIN(`m1_shift_x0`) AS `m1_shift_x0`,
    AVG(`v1_pre`) AS `m1_mean_y0`,
    VAR_SAMP(`s1_y0`) AS `m1_var_y0`,
    COVAR_SAMP(`s1_x0`, `s1_y0`) AS `m1_cov_x0y0`,
    COVAR_SAMP(`s1_x`, `s1_y0`) AS `m1_cov_xy0`,
    COVAR_SAMP(`s1_y`, `s1_x0`) AS `m1_cov_yx0`,
    COVAR_SAMP(`s1_y`, `s1_y0`) AS `m1_cov_yy0`,
    AVG(`s2_x`) AS `m2_mean_x`,
    VAR_SAMP(`s2_x`) AS `m2_var_x`,
    MIN(`m2_shift_x`) AS `m2_shift_x`,
    AVG(`v2`) AS `m2_raw_mean_x`,
    AVG(`s2_x0`) AS `m2_mean_x0`,
    VAR_SAMP(`s2_x0`) AS `m2_var_x0`,
    COVAR_SAMP(`s2_x`, `s2_x0`) AS `m2_cov_xx0`,
    MIN(`m2_shift_x0`) AS `m2_shift_x0`
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
  `moments`.`m0_mean_x0`,
  `moments`.`m0_var_x0`,
  `moments`.`m0_cov_xx0`,
  `moments`.`m0_shift_x0`,
  `moments`.`m1_mean_x`,
  `moments`.`m1_var_x`,
  `moments`.`m1_mean_y`,
  `moments`.`m1_var_y`,
  `moments`.`m1_cov_xy`,
  `moments`.`m1_shift_x`,
  `moments`.`m1_raw_mean_x`,
  `moments`.`m1_mean_x0`,
  `moments`.`m1_var_x0`,
  `moments`.`m1_cov_xx0`,
  `moments`.`m1_shift_x0`,
  `moments`.`m1_mean_y0`,
  `moments`.`m1_var_y0`,
  `moments`.`m1_cov_x0y0`,
  `moments`.`m1_cov_xy0`,
  `moments`.`m1_cov_yx0`,
  `moments`.`m1_cov_yy0`,
  `moments`.`m2_mean_x`,
  `moments`.`m2_var_x`,
  `moments`.`m2_shift_x`,
  `moments`.`m2_raw_mean_x`,
  `moments`.`m2_mean_x0`,
  `moments`.`m2_var_x0`,
  `moments`.`m2_cov_xx0`,
  `moments`.`m2_shift_x0`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
ORDER BY `moments`.`grp`
