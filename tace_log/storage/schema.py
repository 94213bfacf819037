"""What identifies a logbook and its schema version, without loading the migrations themselves.

Opening a current logbook needs only these facts; sqlite-utils and the migrations load only when a logbook is
created or upgraded (they cost ~60 ms of the app's start-up). `tests/core/test_storage.py` checks the names
here are the migrations' own, in order.
"""

# PRAGMA application_id marks a file as a TACE Log logbook ("TACE" in ASCII).
APPLICATION_ID = 0x54414345
MIGRATION_SET = "tace_log"
MIGRATION_NAMES = ("0001_initial", "0002_signing_audit", "0003_user_accounts", "0004_password_audit",
                   "0005_signed_content", "0006_clear_values_not_applying", "0007_course",
                   "0008_angiography_record", "0009_labs_by_test", "0010_key_images",
                   "0011_dose_details")
SCHEMA_VERSION = len(MIGRATION_NAMES)  # PRAGMA user_version of a logbook this build has fully migrated
# Migrations added after the shipped ones by code outside `migrations.py` (`migrations.add`: a test's throwaway
# entity): a logbook opened meanwhile is upgraded to them too.
ADDED: list[str] = []


def migration_names() -> tuple[str, ...]:
    return (*MIGRATION_NAMES, *ADDED)


def schema_version() -> int:
    """The PRAGMA user_version of a logbook with every migration: SCHEMA_VERSION, and one more for each added."""
    return SCHEMA_VERSION + len(ADDED)
