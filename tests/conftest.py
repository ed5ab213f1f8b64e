"""Hypothesis profiles: ``dev`` for quick local runs, ``ci`` for CI.

Choose one with the environment variable ``HYPOTHESIS_PROFILE`` (``.ci/run``
sets ``ci``); the default is ``dev``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "ci",
    max_examples=200,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=60, deadline=None)
# For a quick look at what fails: few examples, no shrinking.
settings.register_profile(
    "triage",
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
