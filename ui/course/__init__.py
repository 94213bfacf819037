"""The patient's course in the app: the chart (a timeline, the records by kind) and a dialog per record."""
