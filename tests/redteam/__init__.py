"""Regression tests for the November 2026 red-team report, one module per category.

The report is shared/findings/2026-11-reliability.md; each test cites its finding (F1-F40).
"""
