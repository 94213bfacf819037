"""The rules derived from the patient's course: eligibility, endpoints, the coordinator's flags and the study flow."""
