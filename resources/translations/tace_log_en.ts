<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BackupActions</name>
    <message numerus="yes">
        <source>%1 (%2 KB, %n procedure(s); verified)</source>
        <translation>
            <numerusform>%1 (%2 KB, %n procedure; verified)</numerusform>
            <numerusform>%1 (%2 KB, %n procedures; verified)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Restored from %1 (%n procedure(s)).

The logbook as it was before is kept as:
%2</source>
        <translation>
            <numerusform>Restored from %1 (%n procedure).

The logbook as it was before is kept as:
%2</numerusform>
            <numerusform>Restored from %1 (%n procedures).

The logbook as it was before is kept as:
%2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CourseRecordDialog</name>
    <message numerus="yes">
        <source>Not saved: %n error(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): check them, then press Save again to save with them.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EligibilityPanel</name>
    <message numerus="yes">
        <source>Not decided: %n input(s) missing</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LabGrid</name>
    <message numerus="yes">
        <source>Not saved: %n error(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Dose read from %1 (%2, %n irradiation event(s)): check it, then Save.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProcedureForm</name>
    <message numerus="yes">
        <source>Not saved: %n error(s). </source>
        <translation>
            <numerusform>Not saved: %n error. </numerusform>
            <numerusform>Not saved: %n errors. </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s) listed below. Check them, then press Save again to save with them.</source>
        <translation>
            <numerusform>%n warning listed below. Check it, then press Save again to save with it.</numerusform>
            <numerusform>%n warnings listed below. Check them, then press Save again to save with them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n addendum(s).</source>
        <translation>
            <numerusform>%n addendum.</numerusform>
            <numerusform>%n addenda.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportPreviewDialog</name>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message numerus="yes">
        <source>I have read the %n warning(s) above and sign anyway</source>
        <translation>
            <numerusform>I have read the %n warning above and sign anyway</numerusform>
            <numerusform>I have read the %n warnings above and sign anyway</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WorklistPanel</name>
    <message numerus="yes">
        <source>%n procedure(s)</source>
        <translation>
            <numerusform>%n procedure</numerusform>
            <numerusform>%n procedures</numerusform>
        </translation>
    </message>
</context>
</TS>
