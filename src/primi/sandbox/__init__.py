"""Training sandbox: each user's own copy of the submission workflow, never published."""
