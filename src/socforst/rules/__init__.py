"""Statutory deadline rules, one module per statute, and the rule book that applies them.

- :mod:`socforst.rules.sol`: the Social Services Act, SoL (2001:453) to
  2025-06-30 and SoL (2025:400) from 2025-07-01.
- :mod:`socforst.rules.lvu`: the Care of Young Persons Act, LVU (1990:52).
- :mod:`socforst.rules.book`: :class:`~socforst.rules.book.RuleBook`.
"""

from __future__ import annotations

from socforst.rules.base import (
    ColumnarRule,
    Deadline,
    DeadlineStatus,
    EvaluatedDeadline,
    LegalReference,
    Rule,
    RuleContext,
    cite,
    reference_on,
)
from socforst.rules.book import PLUGIN_GROUP, RuleBook
from socforst.rules.lvu import (
    LvuCareApplicationDeadline,
    LvuCareEndReviewDeadline,
    LvuCareStartDeadline,
    LvuCourtSubmissionDeadline,
    LvuRestrictionReviewDeadline,
    LvuReviewDeadline,
)
from socforst.rules.sol import (
    CustodyTransferDeadline,
    InvestigationDeadline,
    PlacementReviewDeadline,
    PreassessmentDeadline,
    ProtectionAssessmentDeadline,
    protected_housing_review,
)

__all__ = [
    "PLUGIN_GROUP",
    "ColumnarRule",
    "CustodyTransferDeadline",
    "Deadline",
    "DeadlineStatus",
    "EvaluatedDeadline",
    "InvestigationDeadline",
    "LegalReference",
    "LvuCareApplicationDeadline",
    "LvuCareEndReviewDeadline",
    "LvuCareStartDeadline",
    "LvuCourtSubmissionDeadline",
    "LvuRestrictionReviewDeadline",
    "LvuReviewDeadline",
    "PlacementReviewDeadline",
    "PreassessmentDeadline",
    "ProtectionAssessmentDeadline",
    "Rule",
    "RuleBook",
    "RuleContext",
    "cite",
    "protected_housing_review",
    "reference_on",
]
