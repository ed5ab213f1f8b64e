"""Regression tests for the November 2026 red-team report (shared/findings/2026-11-reliability.md), one module per category."""
