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
`daily_rows_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    DATEDIFF(CAST(`r`.`pulse_ts` AS DATE), DATE '2026-03-01') AS `day`,
    CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_big_spenders__numerator` END AS `big_spenders__numerator`,
    CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_big_spenders__numerator` END AS `big_spenders__numerator_pre`,
    CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_frequent_buyers__numerator` END AS `frequent_buyers__numerator`,
    CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_frequent_buyers__numerator` END AS `frequent_buyers__numerator_pre`,
    CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN CASE WHEN `r`.`pulse_ts` >= (`u`.`first_exposure` + INTERVAL 0 DAY) AND `r`.`pulse_ts` < (`u`.`first_exposure` + INTERVAL 7 DAY) THEN `r`.`pulse_multi_user_week_1__numerator` END END AS `multi_user_week_1__numerator`,
    MIN(DATEDIFF(CAST(`r`.`pulse_ts` AS DATE), DATE '2026-03-01')) OVER (PARTITION BY `u`.`unit_id`, CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN CASE WHEN `r`.`pulse_ts` >= (`u`.`first_exposure` + INTERVAL 0 DAY) AND `r`.`pulse_ts` < (`u`.`first_exposure` + INTERVAL 7 DAY) THEN `r`.`pulse_multi_user_week_1__numerator` END END) AS `multi_user_week_1__numerator_first_day`,
    CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_multi_user_week_1__numerator` END AS `multi_user_week_1__numerator_pre`,
    MIN(DATEDIFF(CAST(`r`.`pulse_ts` AS DATE), DATE '2026-03-01')) OVER (PARTITION BY `u`.`unit_id`, CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_multi_user_week_1__numerator` END) AS `multi_user_week_1__numerator_pre_first_day`,
    CASE WHEN `r`.`pulse_ts` >= `u`.`first_exposure` THEN `r`.`pulse_big_spenders__numerator` END AS `revenue__numerator`,
    CASE WHEN `r`.`pulse_ts` < `u`.`first_exposure` THEN `r`.`pulse_big_spenders__numerator` END AS `revenue__numerator_pre`
  FROM `units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_big_spenders__numerator`,
      CASE WHEN (event = 'purchase') THEN 1 END AS `pulse_frequent_buyers__numerator`,
      (user_id) AS `pulse_multi_user_week_1__numerator`
    FROM `events` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-02-15 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= (`u`.`first_exposure` - INTERVAL 14 DAY)
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
),
`daily_0` AS (
  SELECT
    `unit_id` AS `unit_id`,
    `day` AS `day`,
    SUM(`big_spenders__numerator`) AS `big_spenders__numerator`,
    SUM(`big_spenders__numerator_pre`) AS `big_spenders__numerator_pre`,
    COUNT(`frequent_buyers__numerator`) AS `frequent_buyers__numerator`,
    COUNT(`frequent_buyers__numerator_pre`) AS `frequent_buyers__numerator_pre`,
    COUNT(DISTINCT CASE WHEN `multi_user_week_1__numerator_first_day` = `day` THEN `multi_user_week_1__numerator` END) AS `multi_user_week_1__numerator`,
    COUNT(DISTINCT CASE WHEN `multi_user_week_1__numerator_pre_first_day` = `day` THEN `multi_user_week_1__numerator_pre` END) AS `multi_user_week_1__numerator_pre`,
    SUM(`revenue__numerator`) AS `revenue__numerator`,
    SUM(`revenue__numerator_pre`) AS `revenue__numerator_pre`
  FROM `daily_rows_0`
  GROUP BY `unit_id`, `day`
),
`pass_0` AS (
  SELECT
    `unit_id` AS `unit_id`,
    SUM(`big_spenders__numerator`) AS `big_spenders__numerator`,
    SUM(`big_spenders__numerator_pre`) AS `big_spenders__numerator_pre`,
    SUM(`frequent_buyers__numerator`) AS `frequent_buyers__numerator`,
    SUM(`frequent_buyers__numerator_pre`) AS `frequent_buyers__numerator_pre`,
    SUM(`multi_user_week_1__numerator`) AS `multi_user_week_1__numerator`,
    SUM(`multi_user_week_1__numerator_pre`) AS `multi_user_week_1__numerator_pre`,
    SUM(`revenue__numerator`) AS `revenue__numerator`,
    SUM(`revenue__numerator_pre`) AS `revenue__numerator_pre`
  FROM `daily_0`
  GROUP BY `unit_id`
),
`unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(CASE WHEN CAST(COALESCE(`p0`.`big_spenders__numerator`, 0) AS DOUBLE) >= CAST(100.0 AS DOUBLE) THEN 1 ELSE 0 END AS DOUBLE) AS `big_spenders__numerator`,
    CAST(CASE WHEN CAST(COALESCE(`p0`.`big_spenders__numerator_pre`, 0) AS DOUBLE) >= CAST(100.0 AS DOUBLE) THEN 1 ELSE 0 END AS DOUBLE) AS `big_spenders__numerator_pre`,
    CAST(CASE WHEN CAST(COALESCE(`p0`.`frequent_buyers__numerator`, 0) AS DOUBLE) > CAST(2.5 AS DOUBLE) THEN 1 ELSE 0 END AS DOUBLE) AS `frequent_buyers__numerator`,
    CAST(CASE WHEN CAST(COALESCE(`p0`.`frequent_buyers__numerator_pre`, 0) AS DOUBLE) > CAST(2.5 AS DOUBLE) THEN 1 ELSE 0 END AS DOUBLE) AS `frequent_buyers__numerator_pre`,
    CASE WHEN (`u`.`first_exposure` + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(CASE WHEN CAST(COALESCE(`p0`.`multi_user_week_1__numerator`, 0) AS DOUBLE) >= CAST(2.0 AS DOUBLE) THEN 1 ELSE 0 END AS DOUBLE) END AS `multi_user_week_1__numerator`,
    CASE WHEN (`u`.`first_exposure` + INTERVAL 7 DAY) <= TIMESTAMP '2026-03-29 00:00:00' THEN CAST(CASE WHEN CAST(COALESCE(`p0`.`multi_user_week_1__numerator_pre`, 0) AS DOUBLE) >= CAST(2.0 AS DOUBLE) THEN 1 ELSE 0 END AS DOUBLE) END AS `multi_user_week_1__numerator_pre`,
    CAST(COALESCE(`p0`.`revenue__numerator`, 0) AS DOUBLE) AS `revenue__numerator`,
    CAST(COALESCE(`p0`.`revenue__numerator_pre`, 0) AS DOUBLE) AS `revenue__numerator_pre`
  FROM `units` AS `u`
  LEFT JOIN `pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pilots` AS (
  SELECT
    COALESCE(AVG(`big_spenders__numerator`), 0) AS `big_spenders__shift_x`,
    COALESCE(AVG(`big_spenders__numerator_pre`), 0) AS `big_spenders__shift_x0`,
    COALESCE(AVG(`frequent_buyers__numerator`), 0) AS `frequent_buyers__shift_x`,
    COALESCE(AVG(`frequent_buyers__numerator_pre`), 0) AS `frequent_buyers__shift_x0`,
    COALESCE(AVG(`multi_user_week_1__numerator`), 0) AS `multi_user_week_1__shift_x`,
    COALESCE(AVG(`multi_user_week_1__numerator_pre`), 0) AS `multi_user_week_1__shift_x0`,
    COALESCE(AVG(`revenue__numerator`), 0) AS `revenue__shift_x`,
    COALESCE(AVG(`revenue__numerator_pre`), 0) AS `revenue__shift_x0`
  FROM `unit_values`
),
`shifted_values` AS (
  SELECT
    `unit_values`.*,
    `unit_values`.`big_spenders__numerator` - `pilots`.`big_spenders__shift_x` AS `big_spenders__shifted_x`,
    `pilots`.`big_spenders__shift_x` AS `big_spenders__shift_x`,
    `unit_values`.`big_spenders__numerator_pre` - `pilots`.`big_spenders__shift_x0` AS `big_spenders__shifted_x0`,
    `pilots`.`big_spenders__shift_x0` AS `big_spenders__shift_x0`,
    `unit_values`.`frequent_buyers__numerator` - `pilots`.`frequent_buyers__shift_x` AS `frequent_buyers__shifted_x`,
    `pilots`.`frequent_buyers__shift_x` AS `frequent_buyers__shift_x`,
    `unit_values`.`frequent_buyers__numerator_pre` - `pilots`.`frequent_buyers__shift_x0` AS `frequent_buyers__shifted_x0`,
    `pilots`.`frequent_buyers__shift_x0` AS `frequent_buyers__shift_x0`,
    `unit_values`.`multi_user_week_1__numerator` - `pilots`.`multi_user_week_1__shift_x` AS `multi_user_week_1__shifted_x`,
    `pilots`.`multi_user_week_1__shift_x` AS `multi_user_week_1__shift_x`,
    `unit_values`.`multi_user_week_1__numerator_pre` - `pilots`.`multi_user_week_1__shift_x0` AS `multi_user_week_1__shifted_x0`,
    `pilots`.`multi_user_week_1__shift_x0` AS `multi_user_week_1__shift_x0`,
    `unit_values`.`revenue__numerator` - `pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `pilots`.`revenue__shift_x` AS `revenue__shift_x`,
    `unit_values`.`revenue__numerator_pre` - `pilots`.`revenue__shift_x0` AS `revenue__shifted_x0`,
    `pilots`.`revenue__shift_x0` AS `revenue__shift_x0`
  FROM `unit_values`
  CROSS JOIN `pilots`
),
`moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`big_spenders__shifted_x`) AS `big_spenders__mean_x`,
    VAR_SAMP(`big_spenders__shifted_x`) AS `big_spenders__var_x`,
    MIN(`big_spenders__shift_x`) AS `big_spenders__shift_x`,
    AVG(`big_spenders__numerator`) AS `big_spenders__raw_mean_x`,
    AVG(`big_spenders__shifted_x0`) AS `big_spenders__mean_x0`,
    VAR_SAMP(`big_spenders__shifted_x0`) AS `big_spenders__var_x0`,
    COVAR_SAMP(`big_spenders__shifted_x`, `big_spenders__shifted_x0`) AS `big_spenders__cov_xx0`,
    MIN(`big_spenders__shift_x0`) AS `big_spenders__shift_x0`,
    AVG(`frequent_buyers__shifted_x`) AS `frequent_buyers__mean_x`,
    VAR_SAMP(`frequent_buyers__shifted_x`) AS `frequent_buyers__var_x`,
    MIN(`frequent_buyers__shift_x`) AS `frequent_buyers__shift_x`,
    AVG(`frequent_buyers__numerator`) AS `frequent_buyers__raw_mean_x`,
    AVG(`frequent_buyers__shifted_x0`) AS `frequent_buyers__mean_x0`,
    VAR_SAMP(`frequent_buyers__shifted_x0`) AS `frequent_buyers__var_x0`,
    COVAR_SAMP(`frequent_buyers__shifted_x`, `frequent_buyers__shifted_x0`) AS `frequent_buyers__cov_xx0`,
    MIN(`frequent_buyers__shift_x0`) AS `frequent_buyers__shift_x0`,
    COUNT(`multi_user_week_1__shifted_x`) AS `multi_user_week_1__n`,
    AVG(`multi_user_week_1__shifted_x`) AS `multi_user_week_1__mean_x`,
    VAR_SAMP(`multi_user_week_1__shifted_x`) AS `multi_user_week_1__var_x`,
    MIN(`multi_user_week_1__shift_x`) AS `multi_user_week_1__shift_x`,
    AVG(`multi_user_week_1__numerator`) AS `multi_user_week_1__raw_mean_x`,
    AVG(`multi_user_week_1__shifted_x0`) AS `multi_user_week_1__mean_x0`,
    VAR_SAMP(`multi_user_week_1__shifted_x0`) AS `multi_user_week_1__var_x0`,
    COVAR_SAMP(`multi_user_week_1__shifted_x`, `multi_user_week_1__shifted_x0`) AS `multi_user_week_1__cov_xx0`,
    MIN(`multi_user_week_1__shift_x0`) AS `multi_user_week_1__shift_x0`,
    AVG(`revenue__shifted_x`) AS `revenue__mean_x`,
    VAR_SAMP(`revenue__shifted_x`) AS `revenue__var_x`,
    MIN(`revenue__shift_x`) AS `revenue__shift_x`,
    AVG(`revenue__numerator`) AS `revenue__raw_mean_x`,
    AVG(`revenue__shifted_x0`) AS `revenue__mean_x0`,
    VAR_SAMP(`revenue__shifted_x0`) AS `revenue__var_x0`,
    COVAR_SAMP(`revenue__shifted_x`, `revenue__shifted_x0`) AS `revenue__cov_xx0`,
    MIN(`revenue__shift_x0`) AS `revenue__shift_x0`
  FROM `shifted_values`
  GROUP BY `grp`
),
`days` AS (
  SELECT `d`.`day` AS `day`
  FROM range(0, 28) AS `d`(`day`)
),
`unit_days` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    `u`.`grp` AS `grp`,
    `days`.`day` AS `day`
  FROM `units` AS `u`
  JOIN `days`
    ON `days`.`day` >= DATEDIFF(CAST(`u`.`first_exposure` AS DATE), DATE '2026-03-01')
),
`cumulative` AS (
  SELECT
    `ud`.`grp` AS `grp`,
    `ud`.`day` AS `day`,
    CAST(CASE WHEN CAST(SUM(COALESCE(`d0`.`big_spenders__numerator`, 0)) OVER (PARTITION BY `ud`.`unit_id` ORDER BY `ud`.`day` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE) >= CAST(100.0 AS DOUBLE) THEN 1 ELSE 0 END AS DOUBLE) AS `big_spenders__numerator`,
    CAST(CASE WHEN CAST(SUM(COALESCE(`d0`.`frequent_buyers__numerator`, 0)) OVER (PARTITION BY `ud`.`unit_id` ORDER BY `ud`.`day` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE) > CAST(2.5 AS DOUBLE) THEN 1 ELSE 0 END AS DOUBLE) AS `frequent_buyers__numerator`,
    CAST(SUM(COALESCE(`d0`.`revenue__numerator`, 0)) OVER (PARTITION BY `ud`.`unit_id` ORDER BY `ud`.`day` ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS DOUBLE) AS `revenue__numerator`
  FROM `unit_days` AS `ud`
  LEFT JOIN `daily_0` AS `d0`
    ON `d0`.`unit_id` = `ud`.`unit_id`
    AND `d0`.`day` = `ud`.`day`
),
`daily_pilots` AS (
  SELECT
    `day` AS `day`,
    COALESCE(AVG(`big_spenders__numerator`), 0) AS `big_spenders__shift_x`,
    COALESCE(AVG(`frequent_buyers__numerator`), 0) AS `frequent_buyers__shift_x`,
    COALESCE(AVG(`revenue__numerator`), 0) AS `revenue__shift_x`
  FROM `cumulative`
  GROUP BY `day`
),
`daily_shifted` AS (
  SELECT
    `cumulative`.`grp` AS `grp`,
    `cumulative`.`day` AS `day`,
    `cumulative`.`big_spenders__numerator` AS `big_spenders__numerator`,
    `cumulative`.`frequent_buyers__numerator` AS `frequent_buyers__numerator`,
    `cumulative`.`revenue__numerator` AS `revenue__numerator`,
    `cumulative`.`big_spenders__numerator` - `daily_pilots`.`big_spenders__shift_x` AS `big_spenders__shifted_x`,
    `daily_pilots`.`big_spenders__shift_x` AS `big_spenders__shift_x`,
    `cumulative`.`frequent_buyers__numerator` - `daily_pilots`.`frequent_buyers__shift_x` AS `frequent_buyers__shifted_x`,
    `daily_pilots`.`frequent_buyers__shift_x` AS `frequent_buyers__shift_x`,
    `cumulative`.`revenue__numerator` - `daily_pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `daily_pilots`.`revenue__shift_x` AS `revenue__shift_x`
  FROM `cumulative`
  JOIN `daily_pilots`
    ON `daily_pilots`.`day` = `cumulative`.`day`
),
`daily_moments` AS (
  SELECT
    `day` AS `day`,
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`big_spenders__shifted_x`) AS `big_spenders__mean_x`,
    VAR_SAMP(`big_spenders__shifted_x`) AS `big_spenders__var_x`,
    MIN(`big_spenders__shift_x`) AS `big_spenders__shift_x`,
    AVG(`big_spenders__numerator`) AS `big_spenders__raw_mean_x`,
    AVG(`frequent_buyers__shifted_x`) AS `frequent_buyers__mean_x`,
    VAR_SAMP(`frequent_buyers__shifted_x`) AS `frequent_buyers__var_x`,
    MIN(`frequent_buyers__shift_x`) AS `frequent_buyers__shift_x`,
    AVG(`frequent_buyers__numerator`) AS `frequent_buyers__raw_mean_x`,
    AVG(`revenue__shifted_x`) AS `revenue__mean_x`,
    VAR_SAMP(`revenue__shifted_x`) AS `revenue__var_x`,
    MIN(`revenue__shift_x`) AS `revenue__shift_x`,
    AVG(`revenue__numerator`) AS `revenue__raw_mean_x`
  FROM `daily_shifted`
  GROUP BY `day`, `grp`
),
`exclusions` AS (
  SELECT
    COUNT(CASE WHEN `groups_seen` > 1 THEN 1 END) AS `excluded_multiple_groups`,
    COUNT(CASE WHEN `groups_seen` = 1 AND `grp` NOT IN ('control', 'treat') THEN 1 END) AS `excluded_unknown_group`
  FROM `exposures`
)
SELECT
  NULL AS `day`,
  `moments`.`grp`,
  `moments`.`n`,
  `moments`.`big_spenders__mean_x`,
  `moments`.`big_spenders__var_x`,
  `moments`.`big_spenders__shift_x`,
  `moments`.`big_spenders__raw_mean_x`,
  `moments`.`big_spenders__mean_x0`,
  `moments`.`big_spenders__var_x0`,
  `moments`.`big_spenders__cov_xx0`,
  `moments`.`big_spenders__shift_x0`,
  `moments`.`frequent_buyers__mean_x`,
  `moments`.`frequent_buyers__var_x`,
  `moments`.`frequent_buyers__shift_x`,
  `moments`.`frequent_buyers__raw_mean_x`,
  `moments`.`frequent_buyers__mean_x0`,
  `moments`.`frequent_buyers__var_x0`,
  `moments`.`frequent_buyers__cov_xx0`,
  `moments`.`frequent_buyers__shift_x0`,
  `moments`.`multi_user_week_1__n`,
  `moments`.`multi_user_week_1__mean_x`,
  `moments`.`multi_user_week_1__var_x`,
  `moments`.`multi_user_week_1__shift_x`,
  `moments`.`multi_user_week_1__raw_mean_x`,
  `moments`.`multi_user_week_1__mean_x0`,
  `moments`.`multi_user_week_1__var_x0`,
  `moments`.`multi_user_week_1__cov_xx0`,
  `moments`.`multi_user_week_1__shift_x0`,
  `moments`.`revenue__mean_x`,
  `moments`.`revenue__var_x`,
  `moments`.`revenue__shift_x`,
  `moments`.`revenue__raw_mean_x`,
  `moments`.`revenue__mean_x0`,
  `moments`.`revenue__var_x0`,
  `moments`.`revenue__cov_xx0`,
  `moments`.`revenue__shift_x0`,
  `exclusions`.`excluded_multiple_groups`,
  `exclusions`.`excluded_unknown_group`
FROM `exclusions`
LEFT JOIN `moments`
  ON 1 = 1
UNION ALL
SELECT
  `day`,
  `grp`,
  `n`,
  `big_spenders__mean_x`,
  `big_spenders__var_x`,
  `big_spenders__shift_x`,
  `big_spenders__raw_mean_x`,
  NULL,
  NULL,
  NULL,
  NULL,
  `frequent_buyers__mean_x`,
  `frequent_buyers__var_x`,
  `frequent_buyers__shift_x`,
  `frequent_buyers__raw_mean_x`,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  `revenue__mean_x`,
  `revenue__var_x`,
  `revenue__shift_x`,
  `revenue__raw_mean_x`,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL
FROM `daily_moments`
ORDER BY `day` NULLS FIRST, `grp`
