WITH
`pulse_exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`,
    RAND(0) AS `pulse_computed_once`
  FROM `analytics`.`exposures` AS `src`
  WHERE `src`.`exp_name` = 'exp'
    AND `src`.`org` IS NOT NULL
    AND `src`.`variant` IS NOT NULL
    AND `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
    AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `src`.`org`
),
`pulse_units` AS (
  SELECT
    `pulse_exposures`.`unit_id` AS `unit_id`,
    `pulse_exposures`.`grp` AS `grp`,
    `pulse_exposures`.`first_exposure` AS `first_exposure`,
    RAND(0) AS `pulse_computed_once`
  FROM `pulse_exposures`
  WHERE `pulse_exposures`.`groups_seen` = 1
    AND `pulse_exposures`.`grp` IN ('control', 'treat')
),
`pulse_pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(`r`.`pulse_revenue__numerator`) AS `revenue__numerator`,
    COUNT(`r`.`pulse_purchases__numerator`) AS `purchases__numerator`
  FROM `pulse_units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_revenue__numerator`,
      CASE WHEN (event = 'purchase') THEN 1 END AS `pulse_purchases__numerator`
    FROM parquet.`/data/events.parquet` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  GROUP BY `u`.`unit_id`
),
`pulse_unit_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    CAST(COALESCE(`p0`.`revenue__numerator`, 0) AS DOUBLE) AS `revenue__numerator`,
    CAST(COALESCE(`p0`.`purchases__numerator`, 0) AS DOUBLE) AS `purchases__numerator`
  FROM `pulse_units` AS `u`
  LEFT JOIN `pulse_pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
),
`pulse_pilots` AS (
  SELECT
    COALESCE(AVG(`revenue__numerator`), 0) AS `revenue__shift_x`,
    COALESCE(AVG(`purchases__numerator`), 0) AS `purchases__shift_x`
  FROM `pulse_unit_values`
),
`pulse_shifted_values` AS (
  SELECT
    `pulse_unit_values`.*,
    `pulse_unit_values`.`revenue__numerator` - `pulse_pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `pulse_pilots`.`revenue__shift_x` AS `revenue__shift_x`,
    `pulse_unit_values`.`purchases__numerator` - `pulse_pilots`.`purchases__shift_x` AS `purchases__shifted_x`,
    `pulse_pilots`.`purchases__shift_x` AS `purchases__shift_x`
  FROM `pulse_unit_values`
  CROSS JOIN `pulse_pilots`
),
`pulse_moments` AS (
  SELECT
    `grp` AS `grp`,
    COUNT(*) AS `n`,
    AVG(`revenue__shifted_x`) AS `revenue__mean_x`,
    VAR_SAMP(`revenue__shifted_x`) AS `revenue__var_x`,
    MIN(`revenue__shift_x`) AS `revenue__shift_x`,
    AVG(`revenue__numerator`) AS `revenue__raw_mean_x`,
    AVG(`purchases__shifted_x`) AS `purchases__mean_x`,
    VAR_SAMP(`purchases__shifted_x`) AS `purchases__var_x`,
    MIN(`purchases__shift_x`) AS `purchases__shift_x`,
    AVG(`purchases__numerator`) AS `purchases__raw_mean_x`
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
  `pulse_moments`.`purchases__mean_x`,
  `pulse_moments`.`purchases__var_x`,
  `pulse_moments`.`purchases__shift_x`,
  `pulse_moments`.`purchases__raw_mean_x`,
  `pulse_exclusions`.`excluded_multiple_groups`,
  `pulse_exclusions`.`excluded_unknown_group`
FROM `pulse_exclusions`
LEFT JOIN `pulse_moments`
  ON 1 = 1
ORDER BY `pulse_moments`.`grp`
