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
    AND `exposures`.`grp` IN ('control', 'treat_a', 'treat_b')
),
`pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(`r`.`pulse_c0`) AS `a0`,
    COUNT(`r`.`pulse_c0`) AS `a1`,
    CASE WHEN COUNT(`r`.`pulse_c1`) > 0 THEN 1 ELSE 0 END AS `a2`,
    COUNT(DISTINCT `r`.`pulse_c2`) AS `a3`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      CASE WHEN (event = 'purchase') THEN (revenue) END AS `pulse_c0`,
      CASE WHEN (event = 'purchase') THEN 1 END AS `pulse_c1`,
      (user_id) AS `pulse_c2`
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
    CAST(COALESCE(`p0`.`a2`, 0) AS DOUBLE) AS `v2`,
    CAST(COALESCE(`p0`.`a3`, 0) AS DOUBLE) AS `v3`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pilots` AS (
  SELECT
    CASE WHEN SUM(`v1`) <> 0 THEN SUM(`v0`) / SUM(`v1`) ELSE 0 END AS `m0_shift_x`,
    COALESCE(AVG(`v1`), 0) AS `m0_center_y`,
    COALESCE(AVG(`v2`), 0) AS `m1_shift_x`,
    COALESCE(AVG(`v3`), 0) AS `m2_shift_x`,
    COALESCE(AVG(`v0`), 0) AS `m3_shift_x`
  FROM `unit_values`
),
`shifted_values` AS (
  SELECT
    `unit_values`.*,
    `unit_values`.`v0` - `pilots`.`m0_shift_x` * `unit_values`.`v1` AS `s0_x`,
    `unit_values`.`v1` - `pilots`.`m0_center_y` AS `s0_y`,
    `pilots`.`m0_shift_x` AS `m0_shift_x`,
    `unit_values`.`v2` - `pilots`.`m1_shift_x` AS `s1_x`,
    `pilots`.`m1_shift_x` AS `m1_shift_x`,
    `unit_values`.`v3` - `pilots`.`m2_shift_x` AS `s2_x`,
    `pilots`.`m2_shift_x` AS `m2_shift_x`,
    `unit_values`.`v0` - `pilots`.`m3_shift_x` AS `s3_x`,
    `pilots`.`m3_shift_x` AS `m3_shift_x`
  FROM `unit_values`
  CROSS JOIN `pilots`
),
`moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`s0_x`) AS `m0_mean_x`,
    VAR_SAMP(`s0_x`) AS `m0_var_x`,
    AVG(`v1`) AS `m0_mean_y`,
    VAR_SAMP(`s0_y`) AS `m0_var_y`,
    COVAR_SAMP(`s0_x`, `s0_y`) AS `m0_cov_xy`,
    MIN(`m0_shift_x`) AS `m0_shift_x`,
    AVG(`v0`) AS `m0_raw_mean_x`,
    AVG(`s1_x`) AS `m1_mean_x`,
    VAR_SAMP(`s1_x`) AS `m1_var_x`,
    MIN(`m1_shift_x`) AS `m1_shift_x`,
    AVG(`v2`) AS `m1_raw_mean_x`,
    AVG(`s2_x`) AS `m2_mean_x`,
    VAR_SAMP(`s2_x`) AS `m2_var_x`,
    MIN(`m2_shift_x`) AS `m2_shift_x`,
    AVG(`v3`) AS `m2_raw_mean_x`,
    AVG(`s3_x`) AS `m3_mean_x`,
    VAR_SAMP(`s3_x`) AS `m3_var_x`,
    MIN(`m3_shift_x`) AS `m3_shift_x`,
    AVG(`v0`) AS `m3_raw_mean_x`
  FROM `shifted_values`
  GROUP BY `grp`
),
`exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    COUNT(CASE WHEN `groups_seen` = 1 AND `grp` NOT IN ('control', 'treat_a', 'treat_b') THEN 1 END) AS `excluded_unknown_group`
  FROM `exposures`
)
SELECT
  `moments`.`grp`,
  `moments`.`n`,
  `moments`.`m0_mean_x`,
  `moments`.`m0_var_x`,
  `moments`.`m0_mean_y`,
  `moments`.`m0_var_y`,
  `moments`.`m0_cov_xy`,
  `moments`.`m0_shift_x`,
  `moments`.`m0_raw_mean_x`,
  `moments`.`m1_mean_x`,
  `moments`.`m1_var_x`,
  `moments`.`m1_shift_x`,
  `moments`.`m1_raw_mean_x`,
  `moments`.`m2_mean_x`,
  `moments`.`m2_var_x`,
  `moments`.`m2_shift_x`,
  `moments`.`m2_raw_mean_x`,
  `moments`.`m3_mean_x`,
  `moments`.`m3_var_x`,
  `moments`.`m3_shift_x`,
  `moments`.`m3_raw_mean_x`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
ORDER BY `moments`.`grp`
