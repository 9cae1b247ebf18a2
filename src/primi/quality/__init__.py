"""Level 4: consistency across countries and sources, scorecards."""
