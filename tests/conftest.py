"""Hypothesis profiles: ``dev`` for quick local runs, ``ci`` for CI.

Choose one with the environment variable ``HYPOTHESIS_PROFILE`` (``.ci/run``
sets ``ci``); the default is ``dev``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
