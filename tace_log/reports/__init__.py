"""The PDF procedure report (reportlab): build it, build it from a logbook, write it to a file."""

from .procedure import DRAFT_TEXT, build_report
from .report_file import procedure_report, report_file_name, write_pdf

__all__ = ["DRAFT_TEXT", "build_report", "procedure_report", "report_file_name", "write_pdf"]
