-- opendata: an application left undecided past its review deadline (ZT_OPENDATA_REVIEW_DAYS working days) escalates,
-- once, to the platform's administrators (the government office), who see it marked in the review list.
alter table opendata_applications add column escalated_at timestamptz;
