<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AddendumDialog</name>
    <message>
        <source>Add addendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signed record stays as it is; the addendum is printed after it, marked as an addendum (%1 you).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the addendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addendum text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rea&amp;son</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Addendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Radiologist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign and add</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>TACE Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the logbook %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TACE Log: the logbook is already open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BackupActions</name>
    <message>
        <source>&amp;Back up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a verified copy of the logbook in the backups folder beside it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore from backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the logbook with a backup; the current one is kept as a copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TACE Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No backup was made.

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backed up:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was restored: %1.

One of them can sign in (File &gt; Switch user) and restore the backup.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the logbook from a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TACE Log logbooks (*.sqlite)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the logbook with the backup %1?

Everything recorded after that backup leaves the logbook; the current logbook is kept as a safety copy in the backups folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The logbook was not changed.

%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Restored from %1 (%n procedure(s)).

The logbook as it was before is kept as:
%2</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The daily backup could not be made: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CourseRecordDialog</name>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Use it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the change (kept in the audit trail)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting dose: record the patient&apos;s weight first (12 mg at %1 kg and above, 8 mg below).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting dose for %1 kg: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last period: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After this adverse event the label discontinues lenvatinib: no lower dose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held for an adverse event at %1: the next step down is %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n error(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): check them, then press Save again to save with them.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DamagedLogbookDialog</name>
    <message>
        <source>TACE Log: the logbook cannot be opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Nothing has been written to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newest good backup is %1 (made %2). Restoring it brings back the logbook as it was then; the damaged file is kept beside the backups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No good backup of this logbook was found in its backups folder. Keep the file as it is and ask for help: the log has the details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restoring a backup needs an administrator or a radiologist, and %1 is a %2: ask one of them to restore it. Until then the file stays as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Restore this backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the newest good backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The backup was not restored: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restored. The damaged file is kept as %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EligibilityPanel</name>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What it asks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligibility rules</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record as a screen &amp;failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not eligible: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not decided: %n input(s) missing</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Child-Pugh %1 (class %2) · ALBI %3 (grade %4) · age at consent %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Screen failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record this patient as not enrolled: %1 (%2)?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>screen failure: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD, YYYY-MM-DD, ...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileDialog</name>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addendum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LabGrid</name>
    <message>
        <source>Enter labs — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lab results: a row per date, a column per test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a &amp;date</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n error(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to save: type a result under its test.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LiverMap</name>
    <message>
        <source>Couinaud liver map, anterior view: arrow keys choose a segment, Space marks it stained</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogbookLock</name>
    <message>
        <source>process %1 by %2 on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>process %1 on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot lock %1: the lock file %2 cannot be written (is the folder read-only?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already open in TACE Log (%2). Close it there first; only one window may edit a logbook at a time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already open in TACE Log. Close it there first; only one window may edit a logbook at a time.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>TACE Log - locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TACE Log - who is working?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked after a period without activity (%1). Enter the password to continue, or sign in as someone else.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is working at this workstation?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No users yet: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Checking the logbook for damage... Saving is held until the check passes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TACE Log — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a procedure from the worklist (Enter), or start a new one (Ctrl+N).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New procedure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New procedure for the selected &amp;patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close procedure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import &amp;dose...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About TACE Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient &amp;chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Queues: who is due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Survival by arm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Study &amp;report...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TACE Log %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logbook: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schema version: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protocol: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About TACE Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the procedure form</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a procedure that is not signed first: the dose goes into its form.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DICOM dose reports (*.dcm *.DCM);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Dose read from %1 (%2, %n irradiation event(s)): check it, then Save.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a procedure in the worklist first: its patient&apos;s chart opens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Study report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data cutoff (YYYY-MM-DD):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a date: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your unsaved draft of this procedure is shown. Close and discard it to see the stored record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the procedure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This procedure was signed after your unsaved draft of it was written: the signed record is shown. The draft can no longer change it and is kept in the drafts list; use Addendum for anything to add.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has an unsaved draft of this procedure, kept for them in the drafts list: the stored record is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved draft of %3 (%4): %1 (kept %2) - only %4 can restore it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved draft: %1 (kept %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only %1 can restore it: sign in as %1 (File &gt; Switch user).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard %2&apos;s unsaved draft %1? It is their work, and cannot be brought back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the unsaved draft %1? It cannot be brought back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logbook checked: no damage found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The logbook&apos;s schema was changed outside TACE Log (%1), so nothing will be saved to it. Ask your administrator: tace-log check names every change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The logbook could not be checked, so nothing will be saved to it: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The logbook is damaged: nothing was written to it, and it is closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>add users with `tace-log user add NAME --role radiologist`</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>TACE Log - change password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the current password, then the new one twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Current password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password &amp;again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two new passwords differ: password not changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new password %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PatientChart</name>
    <message>
        <source>Eligibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient chart — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resection %1, day %2 today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no resection date: the timeline counts days from it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why is this record removed? (kept in the audit trail)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reason is needed to remove a record.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProcedureForm</name>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New procedure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now %2: cleared %3 (recorded only when it is %4). Choose %4 again to bring them back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Brought back %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient %1 (MRN %2) is in the logbook: their stored details are shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Day %1 after resection (protocol window day %2-%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lenvatinib %1 for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved yet: </source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n error(s). </source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s) listed below. Check them, then press Save again to save with them.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Save with warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The draft could not be kept on disk: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This procedure is signed: it is shown read-only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed elsewhere by %1 at %2 (%3): not a user of this logbook. Read-only: later changes are addenda.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed by %1 at %2 (%3). Read-only: later changes are addenda.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n addendum(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>THIS SIGNATURE DOES NOT VERIFY: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed before TACE Log kept what was signed: the signature covers only the procedure and the patient&apos;s id, MRN, name, sex and birth date.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed since signing: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuesWindow</name>
    <message>
        <source>Queues</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;As of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The protocol in force decides: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordButtons</name>
    <message>
        <source>Pre&amp;view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export PDF...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Si&amp;gn...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Addendum...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Of the saved record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the procedure first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign as the radiologist: the record is then locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save your changes first: a signature covers the saved record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History - %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <source>&amp;Add %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter as a &amp;grid</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportActions</name>
    <message>
        <source>the printer could not be started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportPreviewDialog</name>
    <message>
        <source>Report preview - %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Export PDF...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print...</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RowsEditor</name>
    <message>
        <source>Remove row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this row</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>ERROR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign procedure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (MRN %2), procedure of %3, performed by %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (MRN %2), procedure of %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing means: %1 you. The record is then locked; later changes are addenda.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>I have read the %n warning(s) above and sign anyway</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Acknowledge warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Radiologist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the errors before signing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No active radiologist in this logbook: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigningWidgets</name>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SurvivalView</name>
    <message>
        <source>Survival by arm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cutoff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Endpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cutoff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kaplan-Meier curves by arm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median (months)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At 12 / 24 / 36 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HR (95% CI), p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport PDF...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Print...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log-rank chi-square %1 on %2 df, p %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnexpectedError</name>
    <message>
        <source>The details are in the log:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No log file could be written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Something unexpected went wrong: %1: %2

The action may not have finished. What you typed is still in the window: check it, save again, or copy it before closing.

%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TACE Log: unexpected problem</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhoIsWorking</name>
    <message>
        <source>S&amp;witch user...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change &amp;password...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; the idle lock uses %2 minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sign in...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working as %1 (no users yet: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is working at this workstation? Sign in to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked after %1 minutes without activity (%2 was working).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password of %1 changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password was set by someone else: choose your own.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorklistModel</name>
    <message>
        <source>signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorklistPanel</name>
    <message>
        <source>Search procedures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search name, MRN or study ID (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n procedure(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
</TS>
