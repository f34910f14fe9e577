"""Year-end evaluation records (owned by the evaluation data work)."""
