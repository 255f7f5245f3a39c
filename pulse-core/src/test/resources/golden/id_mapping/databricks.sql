WITH
`pulse_exposures` AS (
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
`pulse_id_links` AS (
  SELECT DISTINCT
    `src`.`org` AS `unit_id`,
    `src`.`user_id` AS `pulse_id`
  FROM `identify` AS `src`
  WHERE `src`.`org` IS NOT NULL
    AND `src`.`user_id` IS NOT NULL
    AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
),
`pulse_id_candidates` AS (
  SELECT
    `l`.`pulse_id` AS `pulse_id`,
    `u`.`unit_id` AS `unit_id`,
    ROW_NUMBER() OVER (PARTITION BY `l`.`pulse_id` ORDER BY `u`.`first_exposure`, CAST(`u`.`unit_id` AS STRING) COLLATE UTF8_BINARY) AS `pulse_rank`,
    MIN(`u`.`grp`) OVER (PARTITION BY `l`.`pulse_id`) AS `pulse_min_group`,
    MAX(`u`.`grp`) OVER (PARTITION BY `l`.`pulse_id`) AS `pulse_max_group`
  FROM `pulse_id_links` AS `l`
  JOIN `pulse_units` AS `u`
    ON `u`.`unit_id` = `l`.`unit_id`
),
`pulse_id_map` AS (
  SELECT
    `pulse_id`,
    CASE WHEN `pulse_min_group` = `pulse_max_group` THEN `unit_id` END AS `unit_id`,
    CASE WHEN `pulse_min_group` = `pulse_max_group` THEN 0 ELSE 1 END AS `pulse_conflicting`
  FROM `pulse_id_candidates`
  WHERE `pulse_rank` = 1
),
`pulse_pass_0` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    SUM(`r`.`pulse_revenue__numerator`) AS `revenue__numerator`,
    COUNT(CASE WHEN `r`.`pulse_unit_id` IS NOT NULL AND `m`.`pulse_id` IS NULL AND `r`.`pulse_ts` >= TIMESTAMP '2026-03-01 00:00:00' THEN 1 END) AS `pulse_unmapped_rows`,
    COUNT(CASE WHEN `m`.`pulse_conflicting` = 1 AND `r`.`pulse_ts` >= TIMESTAMP '2026-03-01 00:00:00' THEN 1 END) AS `pulse_conflicting_rows`
  FROM (
    SELECT
      `src`.`user_id` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      (revenue) AS `pulse_revenue__numerator`
    FROM `purchases` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
  LEFT JOIN `pulse_id_map` AS `m`
    ON `m`.`pulse_id` = `r`.`pulse_unit_id`
  LEFT JOIN `pulse_units` AS `u`
    ON `u`.`unit_id` = `m`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
  GROUP BY `u`.`unit_id`
),
`pulse_pass_1` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    COUNT(`r`.`pulse_views__numerator`) AS `views__numerator`
  FROM `pulse_units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      CASE WHEN (event = 'view') THEN 1 END AS `pulse_views__numerator`
    FROM `events` AS `src`
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
    CAST(COALESCE(`p1`.`views__numerator`, 0) AS DOUBLE) AS `views__numerator`
  FROM `pulse_units` AS `u`
  LEFT JOIN `pulse_pass_0` AS `p0`
    ON `p0`.`unit_id` = `u`.`unit_id`
  LEFT JOIN `pulse_pass_1` AS `p1`
    ON `p1`.`unit_id` = `u`.`unit_id`
),
`pulse_pilots` AS (
  SELECT
    COALESCE(AVG(`revenue__numerator`), 0) AS `revenue__shift_x`,
    COALESCE(AVG(`views__numerator`), 0) AS `views__shift_x`
  FROM `pulse_unit_values`
),
`pulse_shifted_values` AS (
  SELECT
    `pulse_unit_values`.*,
    `pulse_unit_values`.`revenue__numerator` - `pulse_pilots`.`revenue__shift_x` AS `revenue__shifted_x`,
    `pulse_pilots`.`revenue__shift_x` AS `revenue__shift_x`,
    `pulse_unit_values`.`views__numerator` - `pulse_pilots`.`views__shift_x` AS `views__shifted_x`,
    `pulse_pilots`.`views__shift_x` AS `views__shift_x`
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
    AVG(`views__shifted_x`) AS `views__mean_x`,
    VAR_SAMP(`views__shifted_x`) AS `views__var_x`,
    MIN(`views__shift_x`) AS `views__shift_x`,
    AVG(`views__numerator`) AS `views__raw_mean_x`
  FROM `pulse_shifted_values`
  GROUP BY `grp`
),
`pulse_id_rows` AS (
  SELECT `pulse_unmapped_rows`, `pulse_conflicting_rows`
  FROM `pulse_pass_0`
  WHERE `unit_id` IS NULL
),
`pulse_id_exclusions` AS (
  SELECT
    (SELECT COUNT(*) FROM `pulse_id_map` WHERE `pulse_conflicting` = 1) AS `excluded_conflicting_ids`,
    (SELECT COALESCE(SUM(`pulse_conflicting_rows`), 0) FROM `pulse_id_rows`) AS `excluded_conflicting_rows`,
    (SELECT COALESCE(SUM(`pulse_unmapped_rows`), 0) FROM `pulse_id_rows`) AS `excluded_unmapped_rows`,
    (SELECT COUNT(*) FROM `pulse_units` WHERE `unit_id` NOT IN (SELECT `unit_id` FROM `pulse_id_map` WHERE `unit_id` IS NOT NULL)) AS `units_without_ids`
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
  `pulse_moments`.`views__mean_x`,
  `pulse_moments`.`views__var_x`,
  `pulse_moments`.`views__shift_x`,
  `pulse_moments`.`views__raw_mean_x`,
  `pulse_exclusions`.`excluded_multiple_groups`,
  `pulse_exclusions`.`excluded_unknown_group`,
  `pulse_id_exclusions`.`excluded_conflicting_ids`,
  `pulse_id_exclusions`.`excluded_conflicting_rows`,
  `pulse_id_exclusions`.`excluded_unmapped_rows`,
  `pulse_id_exclusions`.`units_without_ids`
FROM `pulse_exclusions`
CROSS JOIN `pulse_id_exclusions`
LEFT JOIN `pulse_moments`
  ON 1 = 1
ORDER BY `pulse_moments`.`grp`
