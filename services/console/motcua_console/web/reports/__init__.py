"""Reports for leaders, auditors and administrators: Biểu 06 and the Decision 766 indicators as
reporting computes them, the dossiers behind each figure, and the same as CSV or XLSX files."""
from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import dashboard, dossiers, download  # noqa: E402,F401
