"""Prefect flows: one per stage of the appraisal cycle, plus the cycle itself."""
