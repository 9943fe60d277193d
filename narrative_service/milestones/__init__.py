"""milestones feature."""
