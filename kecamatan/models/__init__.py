"""The app's models, one module per concern, all importable from `kecamatan.models`."""

from .accounts import AuditEvent, UserRegion
from .activations import Activation, ActivationDaily, ActivationRecap, KtpHolderCount, Segment
from .progress import OfficialFigure, ProgressSnapshot, RecomputeRun, Target, TargetChange
from .regions import Region, RegionBoundary, RegionClosure
from .uploads import Upload

__all__ = [
    "Activation",
    "ActivationDaily",
    "ActivationRecap",
    "AuditEvent",
    "KtpHolderCount",
    "OfficialFigure",
    "ProgressSnapshot",
    "RecomputeRun",
    "Region",
    "RegionBoundary",
    "RegionClosure",
    "Segment",
    "Target",
    "TargetChange",
    "Upload",
    "UserRegion",
]
