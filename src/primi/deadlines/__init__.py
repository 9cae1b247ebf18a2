"""The calendar of expected submissions, completeness and timeliness."""
