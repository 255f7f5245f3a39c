WITH
`pulse_exposures` AS (
  SELECT
    `src`.`org` AS `unit_id`,
    MIN(`src`.`ts`) AS `first_exposure`,
    MIN(CAST(`src`.`variant` AS STRING)) AS `grp`,
    COUNT(DISTINCT CAST(`src`.`variant` AS STRING)) AS `groups_seen`,
    MIN_BY(COALESCE(CAST(`src`.`country` AS STRING), '(null)'), CASE WHEN COALESCE(CAST(`src`.`country` AS STRING), '(null)') IS NOT NULL THEN `src`.`ts` END) AS `d0`,
    MIN_BY(COALESCE(CAST(`src`.`platform` AS STRING), '(null)'), CASE WHEN COALESCE(CAST(`src`.`platform` AS STRING), '(null)') IS NOT NULL THEN `src`.`ts` END) AS `d1`,
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
    `pulse_exposures`.`d0` AS `d0`,
    `pulse_exposures`.`d1` AS `d1`,
    RAND(0) AS `pulse_computed_once`
  FROM `pulse_exposures`
  WHERE `pulse_exposures`.`groups_seen` = 1
    AND `pulse_exposures`.`grp` IN ('control', 'treat')
),
`pulse_funnel_rows` AS (
  SELECT
    `u`.`unit_id` AS `unit_id`,
    `r`.`pulse_ts` AS `pulse_ts`,
    `r`.`is_viewed` AS `is_viewed`,
    `r`.`is_carted` AS `is_carted`,
    0 AS `is_bought`
  FROM `pulse_units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      CASE WHEN (event = 'view') THEN 1 ELSE 0 END AS `is_viewed`,
      CASE WHEN (event = 'cart') THEN 1 ELSE 0 END AS `is_carted`
    FROM `analytics`.`events` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  WHERE `r`.`is_viewed` = 1 OR `r`.`is_carted` = 1
  UNION ALL
  SELECT
    `u`.`unit_id` AS `unit_id`,
    `r`.`pulse_ts` AS `pulse_ts`,
    0 AS `is_viewed`,
    0 AS `is_carted`,
    `r`.`is_bought` AS `is_bought`
  FROM `pulse_units` AS `u`
  JOIN (
    SELECT
      `src`.`org` AS `pulse_unit_id`,
      `src`.`ts` AS `pulse_ts`,
      1 AS `is_bought`
    FROM parquet.`/data/orders.parquet` AS `src`
    WHERE `src`.`ts` >= TIMESTAMP '2026-03-01 00:00:00'
      AND `src`.`ts` < TIMESTAMP '2026-03-29 00:00:00'
  ) AS `r`
    ON `r`.`pulse_unit_id` = `u`.`unit_id`
    AND `r`.`pulse_ts` >= `u`.`first_exposure`
    AND `r`.`pulse_ts` < TIMESTAMP '2026-03-29 00:00:00'
  WHERE `r`.`is_bought` = 1
),
`pulse_step_viewed` AS (
  SELECT
    `r`.`unit_id` AS `unit_id`,
    MIN(`r`.`pulse_ts`) AS `reached_at`,
    MIN(`r`.`pulse_ts`) AS `started_at`
  FROM `pulse_funnel_rows` AS `r`
  WHERE `r`.`is_viewed` = 1
  GROUP BY `r`.`unit_id`
),
`pulse_step_carted` AS (
  SELECT
    `r`.`unit_id` AS `unit_id`,
    MIN(`r`.`pulse_ts`) AS `reached_at`,
    MIN(`p`.`started_at`) AS `started_at`
  FROM `pulse_funnel_rows` AS `r`
  JOIN `pulse_step_viewed` AS `p`
    ON `p`.`unit_id` = `r`.`unit_id`
  WHERE `r`.`is_carted` = 1
    AND `r`.`pulse_ts` < (`p`.`reached_at` + INTERVAL 2 DAY)
  GROUP BY `r`.`unit_id`
),
`pulse_step_bought` AS (
  SELECT
    `r`.`unit_id` AS `unit_id`,
    MIN(`r`.`pulse_ts`) AS `reached_at`,
    MIN(`p`.`started_at`) AS `started_at`
  FROM `pulse_funnel_rows` AS `r`
  JOIN `pulse_step_carted` AS `p`
    ON `p`.`unit_id` = `r`.`unit_id`
  WHERE `r`.`is_bought` = 1
    AND `r`.`pulse_ts` < (`p`.`reached_at` + INTERVAL 2 DAY)
  GROUP BY `r`.`unit_id`
),
`pulse_dimension_counts` AS (
  SELECT
    `pulse_units`.*,
    COUNT(*) OVER (PARTITION BY `d0`) AS `d0_units`,
    COUNT(*) OVER (PARTITION BY `d1`) AS `d1_units`
  FROM `pulse_units`
),
`pulse_dimension_buckets` AS (
  SELECT
    `pulse_dimension_counts`.*,
    CASE WHEN DENSE_RANK() OVER (ORDER BY `d0_units` DESC, `d0` COLLATE UTF8_BINARY) <= 5 THEN `d0` ELSE '(other)' END AS `d0_bucket`,
    CASE WHEN DENSE_RANK() OVER (ORDER BY `d1_units` DESC, `d1` COLLATE UTF8_BINARY) <= 5 THEN `d1` ELSE '(other)' END AS `d1_bucket`
  FROM `pulse_dimension_counts`
),
`pulse_funnel_values` AS (
  SELECT
    `u`.`grp` AS `grp`,
    `u`.`d0_bucket` AS `d0_bucket`,
    `u`.`d1_bucket` AS `d1_bucket`,
    CASE WHEN `s0`.`unit_id` IS NOT NULL THEN 1 END AS `reached_viewed`,
    CASE WHEN `s1`.`unit_id` IS NOT NULL THEN 1 END AS `reached_carted`,
    CASE WHEN `s2`.`unit_id` IS NOT NULL THEN 1 END AS `reached_bought`
  FROM `pulse_dimension_buckets` AS `u`
  LEFT JOIN `pulse_step_viewed` AS `s0`
    ON `s0`.`unit_id` = `u`.`unit_id`
  LEFT JOIN `pulse_step_carted` AS `s1`
    ON `s1`.`unit_id` = `u`.`unit_id`
  LEFT JOIN `pulse_step_bought` AS `s2`
    ON `s2`.`unit_id` = `u`.`unit_id`
),
`pulse_funnel_counts` AS (
  SELECT
    `grp` AS `grp`,
    CASE WHEN `d0_bucket` IS NOT NULL THEN 'country' WHEN `d1_bucket` IS NOT NULL THEN 'platform' END AS `dimension`,
    COALESCE(`d0_bucket`, `d1_bucket`) AS `dimension_value`,
    COUNT(*) AS `n`,
    COUNT(`reached_viewed`) AS `reached_viewed`,
    COUNT(`reached_carted`) AS `reached_carted`,
    COUNT(`reached_bought`) AS `reached_bought`
  FROM `pulse_funnel_values`
  GROUP BY GROUPING SETS ((`grp`), (`grp`, `d0_bucket`), (`grp`, `d1_bucket`))
)
SELECT *
FROM `pulse_funnel_counts`
ORDER BY `dimension` NULLS FIRST, `dimension_value` NULLS FIRST, `grp`
