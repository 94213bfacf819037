"""The rules derived from the patient's course: eligibility and its scores, endpoints, what is due, the study flow."""
