"""Series and observations with full revision history, publication state and queries.

`models` (Submission, Series, Observation: one row per revision), `loading.load_frame` (the bulk
path), `publication.publish_submission`, `queries` (current values, as of, changes, history,
a submitter's drafts) and `keys` (SDMX key patterns, shared with the SDMX REST layer).
"""
