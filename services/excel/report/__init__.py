"""The Excel status report: data, sheet helpers, streamed rows, Summary, the workbook."""
