-- One row per Civil Forum edition (events.csv), national editions first, then city forums, each by
-- number. No parameters.
-- Each edition carries its preferred number of delegates, participants, platforms and proposals among the
-- facts whose event_id names it (the rule in views/fact_details.sql) with that fact's value_high,
-- qualifier and source_id, and how many facts exist for each figure (*_n_values), so conflicting
-- figures can be flagged.
WITH edition_facts AS (
    SELECT
        event_id, indicator_id, value, value_high, qualifier, source_id,
        row_number() OVER (PARTITION BY event_id, indicator_id ORDER BY preference_rank) = 1 AS is_preferred
    FROM fact_details
    WHERE event_id IS NOT NULL
      AND indicator_id IN ('forum_delegates', 'forum_participants', 'forum_platforms', 'forum_proposals')
),
figures AS (
    SELECT
        event_id,
        any_value(value) FILTER (indicator_id = 'forum_delegates' AND is_preferred) AS delegates,
        any_value(value_high) FILTER (indicator_id = 'forum_delegates' AND is_preferred) AS delegates_high,
        any_value(qualifier) FILTER (indicator_id = 'forum_delegates' AND is_preferred) AS delegates_qualifier,
        any_value(source_id) FILTER (indicator_id = 'forum_delegates' AND is_preferred) AS delegates_source_id,
        count(*) FILTER (indicator_id = 'forum_delegates') AS delegates_n_values,
        any_value(value) FILTER (indicator_id = 'forum_participants' AND is_preferred) AS participants,
        any_value(value_high) FILTER (indicator_id = 'forum_participants' AND is_preferred) AS participants_high,
        any_value(qualifier) FILTER (indicator_id = 'forum_participants' AND is_preferred) AS participants_qualifier,
        any_value(source_id) FILTER (indicator_id = 'forum_participants' AND is_preferred) AS participants_source_id,
        count(*) FILTER (indicator_id = 'forum_participants') AS participants_n_values,
        any_value(value) FILTER (indicator_id = 'forum_platforms' AND is_preferred) AS platforms,
        any_value(value_high) FILTER (indicator_id = 'forum_platforms' AND is_preferred) AS platforms_high,
        any_value(qualifier) FILTER (indicator_id = 'forum_platforms' AND is_preferred) AS platforms_qualifier,
        any_value(source_id) FILTER (indicator_id = 'forum_platforms' AND is_preferred) AS platforms_source_id,
        count(*) FILTER (indicator_id = 'forum_platforms') AS platforms_n_values,
        any_value(value) FILTER (indicator_id = 'forum_proposals' AND is_preferred) AS proposals,
        any_value(value_high) FILTER (indicator_id = 'forum_proposals' AND is_preferred) AS proposals_high,
        any_value(qualifier) FILTER (indicator_id = 'forum_proposals' AND is_preferred) AS proposals_qualifier,
        any_value(source_id) FILTER (indicator_id = 'forum_proposals' AND is_preferred) AS proposals_source_id,
        count(*) FILTER (indicator_id = 'forum_proposals') AS proposals_n_values
    FROM edition_facts
    GROUP BY event_id
)
SELECT
    e.*,
    r.name_en, r.name_ru, r.name_kk,
    fig.* EXCLUDE (event_id, delegates_n_values, participants_n_values, platforms_n_values, proposals_n_values),
    coalesce(fig.delegates_n_values, 0) AS delegates_n_values,
    coalesce(fig.participants_n_values, 0) AS participants_n_values,
    coalesce(fig.platforms_n_values, 0) AS platforms_n_values,
    coalesce(fig.proposals_n_values, 0) AS proposals_n_values
FROM events AS e
JOIN regions AS r ON r.iso_code = e.region
LEFT JOIN figures AS fig USING (event_id)
ORDER BY e.scope <> 'national', e.scope, e.number, e.event_id
