"""The app's models, one module per concern, all importable from `kecamatan.models`."""

from .accounts import AuditEvent, UserRegion
from .activations import (
    Activation,
    ActivationDaily,
    ActivationRecap,
    Basis,
    KtpHolderCount,
    Segment,
)
from .institutions import Institution, InstitutionTarget, RosterMember
from .messages import OfficerContact, OutboxMessage
from .outreach import FailureReason, Holiday, OfficerAbsence, Visit, VisitFailure, VisitRequest
from .peers import PeerFigure
from .progress import OfficialFigure, ProgressSnapshot, RecomputeRun, Target, TargetChange
from .regions import Region, RegionBoundary, RegionClosure
from .uploads import Upload

__all__ = [
    "Activation",
    "ActivationDaily",
    "ActivationRecap",
    "AuditEvent",
    "FailureReason",
    "Holiday",
    "Institution",
    "InstitutionTarget",
    "KtpHolderCount",
    "OfficerAbsence",
    "OfficerContact",
    "OfficialFigure",
    "OutboxMessage",
    "PeerFigure",
    "ProgressSnapshot",
    "RecomputeRun",
    "Region",
    "RegionBoundary",
    "RegionClosure",
    "RosterMember",
    "Segment",
    "Basis",
    "Target",
    "TargetChange",
    "Upload",
    "UserRegion",
    "Visit",
    "VisitFailure",
    "VisitRequest",
]
