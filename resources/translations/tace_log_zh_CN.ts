<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AddendumDialog</name>
    <message>
        <source>Add addendum</source>
        <translation>添加补充说明</translation>
    </message>
    <message>
        <source>The signed record stays as it is; the addendum is printed after it, marked as an addendum (%1 you).</source>
        <translation>已签名的记录保持原样；补充说明打印在其后，标明为补充说明（由您撰写并签名）。</translation>
    </message>
    <message>
        <source>Reason for the addendum</source>
        <translation>补充说明的原因</translation>
    </message>
    <message>
        <source>Addendum text</source>
        <translation>补充说明内容</translation>
    </message>
    <message>
        <source>Rea&amp;son</source>
        <translation>原因(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Addendum</source>
        <translation>补充说明(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Radiologist</source>
        <translation>放射科医师(&amp;R)</translation>
    </message>
    <message>
        <source>Sign and add</source>
        <translation>签名并添加</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>TACE Log</source>
        <translation>TACE 手术登记</translation>
    </message>
    <message>
        <source>Cannot open the logbook %1:
%2</source>
        <translation>无法打开登记库 %1：
%2</translation>
    </message>
    <message>
        <source>TACE Log: the logbook is already open</source>
        <translation>TACE 手术登记：登记库已被打开</translation>
    </message>
</context>
<context>
    <name>BackupActions</name>
    <message>
        <source>&amp;Back up now</source>
        <translation>立即备份(&amp;B)</translation>
    </message>
    <message>
        <source>Make a verified copy of the logbook in the backups folder beside it</source>
        <translation>在登记库旁的备份文件夹中生成一份经过校验的副本</translation>
    </message>
    <message>
        <source>&amp;Restore from backup…</source>
        <translation>从备份恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>Replace the logbook with a backup; the current one is kept as a copy</source>
        <translation>用备份替换登记库；当前登记库另存为副本</translation>
    </message>
    <message>
        <source>TACE Log</source>
        <translation>TACE 手术登记</translation>
    </message>
    <message>
        <source>No backup was made.

%1</source>
        <translation>未能备份。

%1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%2 KB, %n procedure(s); verified)</source>
        <translation>
            <numerusform>%1（%2 KB，%n 例手术；已校验）</numerusform>
        </translation>
    </message>
    <message>
        <source>Backed up:
%1</source>
        <translation>已备份：
%1</translation>
    </message>
    <message>
        <source>Nothing was restored: %1.

One of them can sign in (File &gt; Switch user) and restore the backup.</source>
        <translation>未恢复任何内容：%1。

可请其中一位登录（文件 &gt; 切换用户）后恢复备份。</translation>
    </message>
    <message>
        <source>Restore the logbook from a backup</source>
        <translation>从备份恢复登记库</translation>
    </message>
    <message>
        <source>TACE Log logbooks (*.sqlite)</source>
        <translation>TACE 登记库 (*.sqlite)</translation>
    </message>
    <message>
        <source>Replace the logbook with the backup %1?

Everything recorded after that backup leaves the logbook; the current logbook is kept as a safety copy in the backups folder.</source>
        <translation>用备份 %1 替换登记库？

该备份之后录入的所有内容都将从登记库中移除；当前登记库作为安全副本保存在备份文件夹中。</translation>
    </message>
    <message>
        <source>The logbook was not changed.

%1</source>
        <translation>登记库未作更改。

%1</translation>
    </message>
    <message numerus="yes">
        <source>Restored from %1 (%n procedure(s)).

The logbook as it was before is kept as:
%2</source>
        <translation>
            <numerusform>已从 %1 恢复（%n 例手术）。

恢复前的登记库保存为：
%2</numerusform>
        </translation>
    </message>
    <message>
        <source>The daily backup could not be made: %1</source>
        <translation>每日备份未能完成：%1</translation>
    </message>
</context>
<context>
    <name>CourseRecordDialog</name>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>&amp;Use it</source>
        <translation>采用(&amp;U)</translation>
    </message>
    <message>
        <source>Reason for the change</source>
        <translation>更改原因</translation>
    </message>
    <message>
        <source>Reason for the change (kept in the audit trail)</source>
        <translation>更改原因（记入审计记录）</translation>
    </message>
    <message>
        <source>Your unsaved draft of this record is shown: Save keeps it, Cancel discards it.</source>
        <translation>显示的是您未保存的此记录草稿：点“保存”保留，点“取消”丢弃。</translation>
    </message>
    <message>
        <source>Starting dose: record the patient&apos;s weight first (12 mg at %1 kg and above, 8 mg below).</source>
        <translation>起始剂量：请先记录患者体重（≥%1 kg为12 mg，以下为8 mg）。</translation>
    </message>
    <message>
        <source>Starting dose for %1 kg: %2.</source>
        <translation>体重%1 kg的起始剂量：%2。</translation>
    </message>
    <message>
        <source>Last period: %1.</source>
        <translation>上一用药期：%1。</translation>
    </message>
    <message>
        <source>After this adverse event the label discontinues lenvatinib: no lower dose.</source>
        <translation>发生此不良事件后说明书要求停用仑伐替尼：不再降低剂量。</translation>
    </message>
    <message>
        <source>Held for an adverse event at %1: the next step down is %2.</source>
        <translation>在%1时因不良事件暂停：下一级剂量为%2。</translation>
    </message>
    <message>
        <source>The draft could not be kept on disk: </source>
        <translation>草稿未能保存到磁盘：</translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n error(s).</source>
        <translation>
            <numerusform>未保存：%n 个错误。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): check them, then press Save again to save with them.</source>
        <translation>
            <numerusform>%n 个警告：请核对后再次点击保存，将带警告保存。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not saved: </source>
        <translation>未保存：</translation>
    </message>
</context>
<context>
    <name>DamagedLogbookDialog</name>
    <message>
        <source>TACE Log: the logbook cannot be opened</source>
        <translation>TACE 手术登记：无法打开登记库</translation>
    </message>
    <message>
        <source>%1

Nothing has been written to it.</source>
        <translation>%1

未向其写入任何内容。</translation>
    </message>
    <message>
        <source>The newest good backup is %1 (made %2). Restoring it brings back the logbook as it was then; the damaged file is kept beside the backups.</source>
        <translation>最新的完好备份是 %1（生成于 %2）。恢复后登记库回到当时的状态；损坏的文件保存在备份旁。</translation>
    </message>
    <message>
        <source>No good backup of this logbook was found in its backups folder. Keep the file as it is and ask for help: the log has the details.</source>
        <translation>在备份文件夹中未找到此登记库的完好备份。请保留文件原样并寻求技术支持：日志中有详细信息。</translation>
    </message>
    <message>
        <source>Restoring a backup needs an administrator or a radiologist, and %1 is a %2: ask one of them to restore it. Until then the file stays as it is.</source>
        <translation>恢复备份需要管理员或放射科医师，而 %1 是%2：请他们来恢复。在此之前文件保持原样。</translation>
    </message>
    <message>
        <source>&amp;Restore this backup</source>
        <translation>恢复此备份(&amp;R)</translation>
    </message>
    <message>
        <source>Restore the newest good backup</source>
        <translation>恢复最新的完好备份</translation>
    </message>
    <message>
        <source>The backup was not restored: %1</source>
        <translation>备份未恢复：%1</translation>
    </message>
    <message>
        <source>Restored. The damaged file is kept as %1.</source>
        <translation>已恢复。损坏的文件保存为 %1。</translation>
    </message>
</context>
<context>
    <name>EligibilityPanel</name>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>What it asks</source>
        <translation>要求</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺少的数据</translation>
    </message>
    <message>
        <source>Eligibility rules</source>
        <translation>入组标准</translation>
    </message>
    <message>
        <source>Record as a screen &amp;failure</source>
        <translation>记录为筛选失败(&amp;F)</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>符合</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>不符合</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Eligible</source>
        <translation>符合入组条件</translation>
    </message>
    <message>
        <source>Not eligible: %1</source>
        <translation>不符合入组条件：%1</translation>
    </message>
    <message numerus="yes">
        <source>Not decided: %n input(s) missing</source>
        <translation>
            <numerusform>尚无法判定：缺少 %n 项数据</numerusform>
        </translation>
    </message>
    <message>
        <source>Child-Pugh %1 (class %2) · ALBI %3 (grade %4) · age at consent %5</source>
        <translation>Child-Pugh %1分（%2级）· ALBI %3（%4级）· 知情同意时年龄 %5</translation>
    </message>
    <message>
        <source>Screen failure</source>
        <translation>筛选失败</translation>
    </message>
    <message>
        <source>Record this patient as not enrolled: %1 (%2)?</source>
        <translation>将该患者记录为未入组：%1（%2）？</translation>
    </message>
    <message>
        <source>screen failure: %1</source>
        <translation>筛选失败：%1</translation>
    </message>
</context>
<context>
    <name>EnteredInErrorDialog</name>
    <message>
        <source>Mark entered in error</source>
        <translation>标记为录入错误</translation>
    </message>
    <message>
        <source>For a record that should not exist: the wrong patient, a procedure that did not take place. The signed record is kept as it is, and every page of its report will say ENTERED IN ERROR. This cannot be undone. To correct or add to a valid record, use an addendum instead.</source>
        <translation>用于本不应存在的记录：选错了患者，或手术并未进行。已签名的记录保持原样，其报告的每一页都将注明“录入错误”。此操作不可撤销。如需更正或补充有效记录，请使用补充说明。</translation>
    </message>
    <message>
        <source>Why the record is not valid</source>
        <translation>记录无效的原因</translation>
    </message>
    <message>
        <source>Rea&amp;son</source>
        <translation>原因(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Radiologist</source>
        <translation>放射科医师(&amp;R)</translation>
    </message>
    <message>
        <source>Sign and mark</source>
        <translation>签名并标记</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>TACE Log JSON (tace-log/2)</source>
        <translation>TACE Log JSON（tace-log/2）</translation>
    </message>
    <message>
        <source>CSV tables (folder)</source>
        <translation>CSV 表格（文件夹）</translation>
    </message>
    <message>
        <source>REDCap import (folder)</source>
        <translation>REDCap 导入文件（文件夹）</translation>
    </message>
    <message>
        <source>CDISC ODM (XML file)</source>
        <translation>CDISC ODM（XML 文件）</translation>
    </message>
    <message>
        <source>Trial-office package (zip)</source>
        <translation>临床试验办公室数据包（zip）</translation>
    </message>
    <message>
        <source>De-identify (pseudonyms, no names or MRNs)</source>
        <translation>去标识化（使用假名，不含姓名和住院号）</translation>
    </message>
    <message>
        <source>De-identify</source>
        <translation>去标识化</translation>
    </message>
    <message>
        <source>Site secret file</source>
        <translation>站点密钥文件</translation>
    </message>
    <message>
        <source>None: the study ID stands for each patient</source>
        <translation>无：以研究编号代表每位患者</translation>
    </message>
    <message>
        <source>A file of at least 16 characters kept at the site: it keys each patient&apos;s pseudonym and date shift, and is never exported</source>
        <translation>保存在本中心、至少16个字符的文件：用于生成每位患者的化名和日期偏移，永不导出</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>选择(&amp;H)…</translation>
    </message>
    <message>
        <source>Choose the site secret file</source>
        <translation>选择站点密钥文件</translation>
    </message>
    <message>
        <source>Keep dates, shifted by a per-patient offset (needs the secret)</source>
        <translation>保留日期，按每位患者的偏移量平移（需要密钥）</translation>
    </message>
    <message>
        <source>Shift dates</source>
        <translation>平移日期</translation>
    </message>
    <message>
        <source>Keep free text (notes, narrative): read it for names first</source>
        <translation>保留自由文本（备注、叙述）：请先检查其中是否有姓名</translation>
    </message>
    <message>
        <source>Keep free text</source>
        <translation>保留自由文本</translation>
    </message>
    <message>
        <source>Only patients with a change after:</source>
        <translation>仅导出此后有更改的患者：</translation>
    </message>
    <message>
        <source>Only what changed</source>
        <translation>仅导出有更改的内容</translation>
    </message>
    <message>
        <source>Changed since (local time)</source>
        <translation>更改起始时间（当地时间）</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>保存位置</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Browse for the destination</source>
        <translation>浏览选择保存位置</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>Site &amp;secret:</source>
        <translation>站点密钥(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Destination:</source>
        <translation>保存位置(&amp;D)：</translation>
    </message>
    <message>
        <source>Export progress</source>
        <translation>导出进度</translation>
    </message>
    <message>
        <source>What was written</source>
        <translation>已写入的内容</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Cancel export</source>
        <translation>取消导出(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>取消导出</translation>
    </message>
    <message>
        <source>The site secret file</source>
        <translation>站点密钥文件</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a destination first: a folder for CSV and REDCap, a file for the others.</source>
        <translation>请先选择保存位置：CSV 和 REDCap 为文件夹，其他格式为文件。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>%1 of %2 patients</source>
        <translation>已读取 %1 / %2 例患者</translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written.</source>
        <translation>导出已取消：未写入任何文件。</translation>
    </message>
    <message>
        <source>Nothing was exported: %1</source>
        <translation>未导出任何内容：%1</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Part %1 of %2: </source>
        <translation>第%1部分，共%2部分：</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 字节）</translation>
    </message>
    <message>
        <source>Package: %1</source>
        <translation>数据包：%1</translation>
    </message>
    <message>
        <source>As of: %1</source>
        <translation>数据截至：%1</translation>
    </message>
    <message>
        <source>Formats: %1</source>
        <translation>格式：%1</translation>
    </message>
    <message>
        <source>De-identified: %1</source>
        <translation>已去标识化：%1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>info</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>YYYY-MM-DD, YYYY-MM-DD, ...</source>
        <translation>YYYY-MM-DD, YYYY-MM-DD, …</translation>
    </message>
    <message>
        <source>HH:MM</source>
        <translation>时:分（HH:MM）</translation>
    </message>
</context>
<context>
    <name>FileDialog</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>%1 file</source>
        <translation>%1 文件</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>Complication</source>
        <translation>并发症</translation>
    </message>
    <message>
        <source>Key image</source>
        <translation>关键图像</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Addendum</source>
        <translation>补充说明</translation>
    </message>
    <message>
        <source>Entered in error</source>
        <translation>录入错误</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>signer</source>
        <translation>签名人</translation>
    </message>
    <message>
        <source>meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <source>signed at</source>
        <translation>签名时间</translation>
    </message>
    <message>
        <source>content sha256</source>
        <translation>内容 SHA-256</translation>
    </message>
    <message>
        <source>content version</source>
        <translation>内容版本</translation>
    </message>
    <message>
        <source>signer role</source>
        <translation>签名人角色</translation>
    </message>
    <message>
        <source>signed elsewhere</source>
        <translation>在其他登记库签名</translation>
    </message>
    <message>
        <source>text</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>created at</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>updated at</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Record history</source>
        <translation>记录历史</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>KeyImagesEditor</name>
    <message>
        <source>Attach i&amp;mages...</source>
        <translation>添加图像(&amp;M)...</translation>
    </message>
    <message>
        <source>Attach PNG or JPEG images (a DSA frame, a cone-beam CT slice)</source>
        <translation>添加PNG或JPEG图像（DSA帧、锥形束CT层面）</translation>
    </message>
    <message>
        <source>Attach key images</source>
        <translation>添加关键图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>图像 (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取%1：%2</translation>
    </message>
    <message>
        <source>Key image %1</source>
        <translation>关键图像%1</translation>
    </message>
    <message>
        <source>Open the image</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Image not available</source>
        <translation>图像不可用</translation>
    </message>
</context>
<context>
    <name>LabGrid</name>
    <message>
        <source>Enter labs — %1</source>
        <translation>录入化验 — %1</translation>
    </message>
    <message>
        <source>Lab results: a row per date, a column per test</source>
        <translation>化验结果：每行一个日期，每列一个项目</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Add a &amp;date</source>
        <translation>添加日期(&amp;D)</translation>
    </message>
    <message>
        <source>Your unsaved draft of these labs is shown: Save keeps it, Cancel discards it.</source>
        <translation>显示的是您未保存的检验结果草稿：点“保存”保留，点“取消”丢弃。</translation>
    </message>
    <message>
        <source>The draft could not be kept on disk: </source>
        <translation>草稿未能保存到磁盘：</translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n error(s).</source>
        <translation>
            <numerusform>未保存：%n 个错误。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to save: type a result under its test.</source>
        <translation>没有可保存的内容：请在对应项目下输入结果。</translation>
    </message>
    <message>
        <source>Not saved: </source>
        <translation>未保存：</translation>
    </message>
</context>
<context>
    <name>LiverMap</name>
    <message>
        <source>Couinaud liver map, anterior view: arrow keys choose a segment, Space marks it stained</source>
        <translation>Couinaud肝段图（前面观）：方向键选择肝段，空格键标记为染色</translation>
    </message>
</context>
<context>
    <name>LogbookLock</name>
    <message>
        <source>process %1 by %2 on %3</source>
        <translation>%3 上 %2 的进程 %1</translation>
    </message>
    <message>
        <source>process %1 on %3</source>
        <translation>%3 上的进程 %1</translation>
    </message>
    <message>
        <source>cannot lock %1: the lock file %2 cannot be written (is the folder read-only?)</source>
        <translation>无法锁定 %1：无法写入锁文件 %2（文件夹是否只读？）</translation>
    </message>
    <message>
        <source>%1 is already open in TACE Log (%2). Close it there first; only one window may edit a logbook at a time.</source>
        <translation>%1 已在 TACE 手术登记中打开（%2）。请先在那里关闭；同一时间只能有一个窗口编辑登记库。</translation>
    </message>
    <message>
        <source>%1 is already open in TACE Log. Close it there first; only one window may edit a logbook at a time.</source>
        <translation>%1 已在 TACE 手术登记中打开。请先在那里关闭；同一时间只能有一个窗口编辑登记库。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>TACE Log - locked</source>
        <translation>TACE 手术登记 - 已锁定</translation>
    </message>
    <message>
        <source>TACE Log - who is working?</source>
        <translation>TACE 手术登记 - 当前操作者是谁？</translation>
    </message>
    <message>
        <source>Locked after a period without activity (%1). Enter the password to continue, or sign in as someone else.</source>
        <translation>因一段时间无操作已锁定（%1）。输入密码继续，或以其他用户身份登录。</translation>
    </message>
    <message>
        <source>Who is working at this workstation?</source>
        <translation>当前在此工作站操作的是谁？</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>No users yet: %1.</source>
        <translation>尚无用户：%1。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Checking the logbook for damage... Saving is held until the check passes.</source>
        <translation>正在检查登记库是否损坏……检查通过前暂不保存。</translation>
    </message>
    <message>
        <source>TACE Log — %1</source>
        <translation>TACE 手术登记 — %1</translation>
    </message>
    <message>
        <source>Open a procedure from the worklist (Enter), or start a new one (Ctrl+N).</source>
        <translation>从工作列表打开一例手术（Enter），或新建一例（Ctrl+N）。</translation>
    </message>
    <message>
        <source>&amp;New procedure</source>
        <translation>新建手术(&amp;N)</translation>
    </message>
    <message>
        <source>New procedure for the selected &amp;patient</source>
        <translation>为所选患者新建手术(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Close procedure</source>
        <translation>关闭手术(&amp;C)</translation>
    </message>
    <message>
        <source>Import &amp;dose...</source>
        <translation>导入剂量(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;About TACE Log</source>
        <translation>关于 TACE 手术登记(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Refresh worklist</source>
        <translation>刷新工作列表(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Users...</source>
        <translation>用户(&amp;U)...</translation>
    </message>
    <message>
        <source>&amp;Settings...</source>
        <translation>设置(&amp;S)...</translation>
    </message>
    <message>
        <source>Patient &amp;chart</source>
        <translation>患者病程(&amp;C)</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Queues: who is due</source>
        <translation>待办队列(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Survival by arm</source>
        <translation>各组生存分析(&amp;S)</translation>
    </message>
    <message>
        <source>Study &amp;report...</source>
        <translation>研究报告(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Pat&amp;ient</source>
        <translation>患者(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>T&amp;ools</source>
        <translation>工具(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>TACE Log %1</source>
        <translation>TACE 手术登记 %1</translation>
    </message>
    <message>
        <source>Logbook: %1</source>
        <translation>登记库：%1</translation>
    </message>
    <message>
        <source>Schema version: %1</source>
        <translation>数据库结构版本：%1</translation>
    </message>
    <message>
        <source>Protocol: %1</source>
        <translation>研究方案：%1</translation>
    </message>
    <message>
        <source>About TACE Log</source>
        <translation>关于 TACE 手术登记</translation>
    </message>
    <message>
        <source>Cannot open the procedure form</source>
        <translation>无法打开手术表单</translation>
    </message>
    <message>
        <source>Open a procedure that is not signed first: the dose goes into its form.</source>
        <translation>请先打开一条未签名的手术记录：剂量将填入其表单。</translation>
    </message>
    <message>
        <source>Import dose</source>
        <translation>导入剂量</translation>
    </message>
    <message>
        <source>All files (*);;DICOM files (*.dcm *.DCM)</source>
        <translation>所有文件 (*);;DICOM文件 (*.dcm *.DCM)</translation>
    </message>
    <message>
        <source>%1.

Fill this procedure&apos;s form with its dose anyway?</source>
        <translation>%1。

仍要用该文件的剂量填写本手术表单吗？</translation>
    </message>
    <message numerus="yes">
        <source>Dose read from %1 (%2, %n irradiation event(s)): check it, then Save.</source>
        <translation>
            <numerusform>已从%1读取剂量（%2，%n 次曝光事件）：请核对后保存。</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose a procedure in the worklist first: its patient&apos;s chart opens.</source>
        <translation>请先在工作列表中选择一条手术记录：将打开该患者的病程。</translation>
    </message>
    <message>
        <source>Study report</source>
        <translation>研究报告</translation>
    </message>
    <message>
        <source>Data cutoff (YYYY-MM-DD):</source>
        <translation>数据截止日期（YYYY-MM-DD）：</translation>
    </message>
    <message>
        <source>Not a date: %1</source>
        <translation>不是有效日期：%1</translation>
    </message>
    <message>
        <source>Your unsaved draft of this procedure is shown. Close and discard it to see the stored record.</source>
        <translation>显示的是您对此手术未保存的草稿。关闭并丢弃草稿即可查看已保存的记录。</translation>
    </message>
    <message>
        <source>Cannot open the procedure</source>
        <translation>无法打开手术</translation>
    </message>
    <message>
        <source>This procedure was signed after your unsaved draft of it was written: the signed record is shown. The draft can no longer change it and is kept in the drafts list; use Addendum for anything to add.</source>
        <translation>此手术在您的未保存草稿写入后已被签名：显示的是已签名的记录。草稿已不能再修改它，仍保留在草稿列表中；如需补充，请使用补充说明。</translation>
    </message>
    <message>
        <source>%1 has an unsaved draft of this procedure, kept for them in the drafts list: the stored record is shown.</source>
        <translation>%1 有此手术的未保存草稿，已为其保留在草稿列表中：显示的是已保存的记录。</translation>
    </message>
    <message>
        <source>Unsaved draft of %3 (%4): %1 (kept %2) - only %4 can restore it</source>
        <translation>%3（%4）的未保存草稿：%1（保存于 %2）- 只有 %4 可以恢复</translation>
    </message>
    <message>
        <source>Unsaved draft: %1 (kept %2)</source>
        <translation>未保存的草稿：%1（保存于 %2）</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Only %1 can restore it: sign in as %1 (File &gt; Switch user).</source>
        <translation>只有 %1 可以恢复：请以 %1 身份登录（文件 &gt; 切换用户）。</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Cannot restore the draft</source>
        <translation>无法恢复草稿</translation>
    </message>
    <message>
        <source>Discard %2&apos;s unsaved draft %1? It is their work, and cannot be brought back.</source>
        <translation>丢弃 %2 的未保存草稿 %1？这是对方的工作，丢弃后无法找回。</translation>
    </message>
    <message>
        <source>Discard the unsaved draft %1? It cannot be brought back.</source>
        <translation>丢弃未保存的草稿 %1？丢弃后无法找回。</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>丢弃草稿</translation>
    </message>
    <message>
        <source>Logbook checked: no damage found.</source>
        <translation>登记库检查完毕：未发现损坏。</translation>
    </message>
    <message>
        <source>The logbook&apos;s schema was changed outside TACE Log (%1), so nothing will be saved to it. Ask your administrator: the log file names every change.</source>
        <translation>登记库的数据库结构在 TACE 手术登记之外被修改（%1），因此不会向其保存任何内容。请联系管理员：日志文件列出了每一处修改。</translation>
    </message>
    <message>
        <source>The logbook could not be checked, so nothing will be saved to it: %1</source>
        <translation>无法检查登记库，因此不会向其保存任何内容：%1</translation>
    </message>
    <message>
        <source>The logbook is damaged: nothing was written to it, and it is closed.</source>
        <translation>登记库已损坏：未向其写入任何内容，并已关闭。</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>add them in Tools &gt; Users</source>
        <translation>请在“工具 &gt; 用户”中添加</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>%1 has unsaved changes. Save them?</source>
        <translation>%1 有未保存的更改。是否保存？</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>TACE Log - change password</source>
        <translation>TACE 手术登记 - 修改密码</translation>
    </message>
    <message>
        <source>Enter the current password, then the new one twice.</source>
        <translation>请输入当前密码，然后输入两次新密码。</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>用户(&amp;U)</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>&amp;Current password</source>
        <translation>当前密码(&amp;C)</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <source>New password &amp;again</source>
        <translation>再次输入新密码(&amp;A)</translation>
    </message>
    <message>
        <source>The two new passwords differ: password not changed.</source>
        <translation>两次输入的新密码不一致：密码未修改。</translation>
    </message>
    <message>
        <source>The new password %1.</source>
        <translation>新密码%1。</translation>
    </message>
</context>
<context>
    <name>PatientChart</name>
    <message>
        <source>Eligibility</source>
        <translation>入组资格</translation>
    </message>
    <message>
        <source>Patient chart — %1</source>
        <translation>患者病程 — %1</translation>
    </message>
    <message>
        <source>resection %1, day %2 today</source>
        <translation>肝切除 %1，今天为术后第%2天</translation>
    </message>
    <message>
        <source>no resection date: the timeline counts days from it</source>
        <translation>无肝切除日期：时间轴以其为起点计算天数</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>删除%1</translation>
    </message>
    <message>
        <source>Why is this record removed? (kept in the audit trail)</source>
        <translation>为什么删除此记录？（记入审计记录）</translation>
    </message>
    <message>
        <source>A reason is needed to remove a record.</source>
        <translation>删除记录需要填写原因。</translation>
    </message>
</context>
<context>
    <name>ProcedureForm</name>
    <message>
        <source>Findings</source>
        <translation>核查结果</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存（Ctrl+S）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>添加%1</translation>
    </message>
    <message>
        <source>New procedure</source>
        <translation>新建手术</translation>
    </message>
    <message>
        <source>Removed a row of %1: Ctrl+Z brings it back until you save.</source>
        <translation>已删除一行%1：保存前按 Ctrl+Z 可恢复。</translation>
    </message>
    <message>
        <source>Brought back the row of %1.</source>
        <translation>已恢复这一行%1。</translation>
    </message>
    <message>
        <source>%1 is now %2: cleared %3 (recorded only when it is %4). Choose %4 again to bring them back.</source>
        <translation>%1 现为%2：已清除 %3（仅在为%4时记录）。重新选择%4即可恢复。</translation>
    </message>
    <message>
        <source>blank</source>
        <translation>空白</translation>
    </message>
    <message>
        <source>Brought back %1.</source>
        <translation>已恢复 %1。</translation>
    </message>
    <message>
        <source>Patient %1 (MRN %2) is in the logbook: their stored details are shown.</source>
        <translation>患者 %1（住院号 %2）已在登记库中：显示的是已保存的资料。</translation>
    </message>
    <message>
        <source>Day %1 after resection (protocol window day %2-%3)</source>
        <translation>肝切除术后第 %1 天（方案窗口期：第 %2–%3 天）</translation>
    </message>
    <message>
        <source>Lenvatinib %1 for %2</source>
        <translation>仑伐替尼 %1（体重 %2）</translation>
    </message>
    <message>
        <source>Not saved yet: </source>
        <translation>尚未保存：</translation>
    </message>
    <message numerus="yes">
        <source>Not saved: %n error(s). </source>
        <translation>
            <numerusform>未保存：%n 处错误。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s) listed below. Check them, then press Save again to save with them.</source>
        <translation>
            <numerusform>下方列出 %n 条警告。请核对后再次点击保存，带警告保存。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Save with warnings</source>
        <translation>带警告保存(&amp;S)</translation>
    </message>
    <message>
        <source>Not saved: </source>
        <translation>未保存：</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>The draft could not be kept on disk: </source>
        <translation>草稿未能保存到磁盘：</translation>
    </message>
    <message>
        <source>This procedure is signed: it is shown read-only.</source>
        <translation>此手术已签名：以只读方式显示。</translation>
    </message>
    <message>
        <source>Signed elsewhere by %1 at %2 (%3): not a user of this logbook. Read-only: later changes are addenda.</source>
        <translation>由 %1 于 %2 在其他登记库签名（%3）：此人不是本登记库的用户。只读：之后的修改请用补充说明。</translation>
    </message>
    <message>
        <source>Signed by %1 at %2 (%3). Read-only: later changes are addenda.</source>
        <translation>由 %1 于 %2 签名（%3）。只读：之后的修改请用补充说明。</translation>
    </message>
    <message numerus="yes">
        <source>%n addendum(s).</source>
        <translation>
            <numerusform>%n 条补充说明。</numerusform>
        </translation>
    </message>
    <message>
        <source>ENTERED IN ERROR: not valid (%1, marked by %2 at %3).</source>
        <translation>录入错误：本记录无效（%1，由 %2 于 %3 标记）。</translation>
    </message>
    <message>
        <source>THIS SIGNATURE DOES NOT VERIFY: %1.</source>
        <translation>此签名验证失败：%1。</translation>
    </message>
    <message>
        <source>Signed before TACE Log kept what was signed: the signature covers only the procedure and the patient&apos;s id, MRN, name, sex and birth date.</source>
        <translation>签名早于 TACE 手术登记保存签名内容：签名仅涵盖手术及患者的 ID、住院号、姓名、性别和出生日期。</translation>
    </message>
    <message>
        <source>Changed since signing: %1.</source>
        <translation>签名后已更改：%1。</translation>
    </message>
</context>
<context>
    <name>Queues</name>
    <message>
        <source>TACE due</source>
        <translation>TACE待做</translation>
    </message>
    <message>
        <source>Imaging</source>
        <translation>影像复查</translation>
    </message>
    <message>
        <source>Not heard from</source>
        <translation>失去联系</translation>
    </message>
    <message>
        <source>Dose alerts</source>
        <translation>剂量提醒</translation>
    </message>
    <message>
        <source>Screening pending</source>
        <translation>筛选待定</translation>
    </message>
    <message>
        <source>TACE 1 upcoming</source>
        <translation>第1次TACE即将到期</translation>
    </message>
    <message>
        <source>TACE 1 due</source>
        <translation>第1次TACE到期</translation>
    </message>
    <message>
        <source>TACE 1 overdue</source>
        <translation>第1次TACE逾期</translation>
    </message>
    <message>
        <source>TACE 2 due</source>
        <translation>第2次TACE到期</translation>
    </message>
    <message>
        <source>imaging due</source>
        <translation>影像复查到期</translation>
    </message>
    <message>
        <source>imaging overdue</source>
        <translation>影像复查逾期</translation>
    </message>
    <message>
        <source>no contact: lost to follow-up?</source>
        <translation>长期未联系：是否失访？</translation>
    </message>
    <message>
        <source>arterial thromboembolism: discontinue lenvatinib</source>
        <translation>动脉血栓栓塞：应停用仑伐替尼</translation>
    </message>
    <message>
        <source>grade 3+ adverse event without an action on lenvatinib</source>
        <translation>≥3级不良事件未调整仑伐替尼</translation>
    </message>
    <message>
        <source>screened, no decision yet</source>
        <translation>已筛选，尚未决定</translation>
    </message>
</context>
<context>
    <name>QueuesWindow</name>
    <message>
        <source>Queues</source>
        <translation>待办队列</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>截至日期</translation>
    </message>
    <message>
        <source>&amp;As of</source>
        <translation>截至日期(&amp;A)</translation>
    </message>
    <message>
        <source>MRN</source>
        <translation>住院号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <source>The protocol in force decides: %1</source>
        <translation>依据执行的研究方案：%1</translation>
    </message>
</context>
<context>
    <name>RecordButtons</name>
    <message>
        <source>&amp;Print...</source>
        <translation>打印(&amp;P)...</translation>
    </message>
    <message>
        <source>Si&amp;gn...</source>
        <translation>签名(&amp;G)...</translation>
    </message>
    <message>
        <source>&amp;Addendum...</source>
        <translation>补充说明(&amp;A)...</translation>
    </message>
    <message>
        <source>P&amp;review</source>
        <translation>预览(&amp;R)</translation>
    </message>
    <message>
        <source>E&amp;xport PDF...</source>
        <translation>导出 PDF(&amp;X)...</translation>
    </message>
    <message>
        <source>Entered in Error...</source>
        <translation>录入错误...</translation>
    </message>
    <message>
        <source>His&amp;tory</source>
        <translation>历史(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Delete...</source>
        <translation>删除(&amp;D)...</translation>
    </message>
    <message>
        <source>Of the saved record</source>
        <translation>针对已保存的记录</translation>
    </message>
    <message>
        <source>Save the procedure first</source>
        <translation>请先保存手术</translation>
    </message>
    <message>
        <source>Mark this signed record entered in error (the wrong patient, a procedure that did not take place): it is kept, and its report says so on every page</source>
        <translation>将此已签名记录标记为录入错误（选错患者、手术未进行）：记录予以保留，其报告每一页均注明</translation>
    </message>
    <message>
        <source>Delete this unsigned procedure, with a reason kept in the audit trail; its patient stays</source>
        <translation>删除此未签名的手术，删除原因记入审计记录；患者信息保留</translation>
    </message>
    <message>
        <source>Sign as the radiologist: the record is then locked</source>
        <translation>以放射科医师身份签名：签名后记录锁定</translation>
    </message>
    <message>
        <source>Save your changes first: a signature covers the saved record.</source>
        <translation>请先保存更改：签名针对的是已保存的记录。</translation>
    </message>
    <message>
        <source>Delete procedure</source>
        <translation>删除手术</translation>
    </message>
    <message>
        <source>Delete %1? Its patient stays. Why is it deleted? (kept in the audit trail)</source>
        <translation>删除%1？患者信息将保留。删除原因是什么？（记入审计记录）</translation>
    </message>
    <message>
        <source>A reason is needed to delete a procedure.</source>
        <translation>删除手术需要填写原因。</translation>
    </message>
    <message>
        <source>Procedure deleted; the reason is in the audit trail.</source>
        <translation>手术已删除；删除原因已记入审计记录。</translation>
    </message>
    <message>
        <source>History - %1</source>
        <translation>历史 - %1</translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <source>&amp;Add %1</source>
        <translation>添加%1(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Enter as a &amp;grid</source>
        <translation>按表格录入(&amp;G)</translation>
    </message>
</context>
<context>
    <name>ReportActions</name>
    <message>
        <source>the printer could not be started</source>
        <translation>无法启动打印机</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Print report</source>
        <translation>打印报告</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
</context>
<context>
    <name>ReportPreviewDialog</name>
    <message>
        <source>Report preview - %1</source>
        <translation>报告预览 - %1</translation>
    </message>
    <message>
        <source>Report preview</source>
        <translation>报告预览</translation>
    </message>
    <message numerus="yes">
        <source>%n page(s)</source>
        <translation>
            <numerusform>共 %n 页</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Export PDF...</source>
        <translation>导出 PDF(&amp;E)...</translation>
    </message>
    <message>
        <source>&amp;Print...</source>
        <translation>打印(&amp;P)...</translation>
    </message>
</context>
<context>
    <name>RestoreAnyway</name>
    <message>
        <source>The backup does not verify</source>
        <translation>备份验证未通过</translation>
    </message>
    <message>
        <source>%1.

Restore it anyway only if you know why it does not verify. Say why: the reason is kept in the audit trail.</source>
        <translation>%1。

只有在清楚验证未通过的原因时才仍然恢复。请说明原因：原因将保存在审计记录中。</translation>
    </message>
    <message>
        <source>Why restore it anyway</source>
        <translation>仍要恢复的原因</translation>
    </message>
    <message>
        <source>&amp;Restore anyway</source>
        <translation>仍然恢复(&amp;R)</translation>
    </message>
</context>
<context>
    <name>RowsEditor</name>
    <message>
        <source>Remove row</source>
        <translation>删除此行</translation>
    </message>
    <message>
        <source>Remove this row</source>
        <translation>删除这一行</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>医院</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>科室</translation>
    </message>
    <message>
        <source>&amp;Institution</source>
        <translation>医院(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Department</source>
        <translation>科室(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Choose logo...</source>
        <translation>选择标志(&amp;C)...</translation>
    </message>
    <message>
        <source>&amp;No logo</source>
        <translation>不用标志(&amp;N)</translation>
    </message>
    <message>
        <source>Logo</source>
        <translation>标志</translation>
    </message>
    <message>
        <source>Report language</source>
        <translation>报告语言</translation>
    </message>
    <message>
        <source>The app&apos;s language</source>
        <translation>跟随界面语言</translation>
    </message>
    <message>
        <source>Report &amp;language</source>
        <translation>报告语言(&amp;L)</translation>
    </message>
    <message>
        <source>Largest key image</source>
        <translation>关键图像大小上限</translation>
    </message>
    <message>
        <source>A PNG or JPEG attached to a procedure may be at most this large (default %1 MB)</source>
        <translation>添加到手术记录的PNG或JPEG图像不得超过此大小（默认%1 MB）</translation>
    </message>
    <message>
        <source>Largest &amp;key image</source>
        <translation>关键图像大小上限(&amp;K)</translation>
    </message>
    <message>
        <source>Chart folder</source>
        <translation>病历文件夹</translation>
    </message>
    <message>
        <source>Your home folder</source>
        <translation>您的主文件夹</translation>
    </message>
    <message>
        <source>C&amp;hart folder</source>
        <translation>病历文件夹(&amp;H)</translation>
    </message>
    <message>
        <source>Protocol in force</source>
        <translation>现行研究方案</translation>
    </message>
    <message>
        <source>The report header and language and the key image size are kept in %1, beside the logbook; the chart folder on this workstation.</source>
        <translation>报告页眉、语言和关键图像大小保存在日志旁的%1中；病历文件夹保存在本工作站。</translation>
    </message>
    <message>
        <source>No logo</source>
        <translation>无标志</translation>
    </message>
    <message>
        <source>%1 is not a PNG or JPEG image.</source>
        <translation>%1 不是 PNG 或 JPEG 图像。</translation>
    </message>
    <message>
        <source>Choose the report&apos;s logo</source>
        <translation>选择报告标志</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>图像 (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>The chart folder %1 is not a folder.</source>
        <translation>病历文件夹 %1 不是文件夹。</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>ERROR</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Sign procedure</source>
        <translation>手术签名</translation>
    </message>
    <message>
        <source>%1 (MRN %2), procedure of %3, performed by %4.</source>
        <translation>%1（住院号 %2），%3 的手术，术者 %4。</translation>
    </message>
    <message>
        <source>%1 (MRN %2), procedure of %3.</source>
        <translation>%1（住院号 %2），%3 的手术。</translation>
    </message>
    <message>
        <source>Signing means: %1 you. The record is then locked; later changes are addenda.</source>
        <translation>签名即表示由您审核并签名。签名后记录锁定；之后的修改请用补充说明。</translation>
    </message>
    <message>
        <source>Validation findings</source>
        <translation>核查结果</translation>
    </message>
    <message numerus="yes">
        <source>I have read the %n warning(s) above and sign anyway</source>
        <translation>
            <numerusform>我已阅读以上 %n 条警告，仍然签名</numerusform>
        </translation>
    </message>
    <message>
        <source>Acknowledge warnings</source>
        <translation>确认警告</translation>
    </message>
    <message>
        <source>&amp;Radiologist</source>
        <translation>放射科医师(&amp;R)</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Correct the errors before signing.</source>
        <translation>签名前请先改正错误。</translation>
    </message>
    <message>
        <source>No active radiologist in this logbook: %1.</source>
        <translation>本登记库中没有在用的放射科医师：%1。</translation>
    </message>
</context>
<context>
    <name>SigningWidgets</name>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>密码(&amp;P)</translation>
    </message>
</context>
<context>
    <name>SurvivalView</name>
    <message>
        <source>Survival by arm</source>
        <translation>各组生存分析</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>终点</translation>
    </message>
    <message>
        <source>Cutoff</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>&amp;Endpoint</source>
        <translation>终点(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Cutoff</source>
        <translation>截止日期(&amp;C)</translation>
    </message>
    <message>
        <source>Kaplan-Meier curves by arm</source>
        <translation>各组Kaplan-Meier曲线</translation>
    </message>
    <message>
        <source>Arm</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Patients</source>
        <translation>例数</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件数</translation>
    </message>
    <message>
        <source>Median (months)</source>
        <translation>中位时间（月）</translation>
    </message>
    <message>
        <source>95% CI</source>
        <translation>95% CI</translation>
    </message>
    <message>
        <source>At 12 / 24 / 36 months</source>
        <translation>12 / 24 / 36个月</translation>
    </message>
    <message>
        <source>HR (95% CI), p</source>
        <translation>HR（95% CI），P</translation>
    </message>
    <message>
        <source>E&amp;xport PDF...</source>
        <translation>导出PDF(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Print...</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>参照组</translation>
    </message>
    <message>
        <source>Log-rank chi-square %1 on %2 df, p %3</source>
        <translation>Log-rank检验 卡方%1，自由度%2，P %3</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>%1, day %2</source>
        <translation>%1，第%2天</translation>
    </message>
    <message>
        <source>Adverse events</source>
        <translation>不良事件</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>随访</translation>
    </message>
    <message>
        <source>Labs</source>
        <translation>化验</translation>
    </message>
    <message>
        <source>Lenvatinib</source>
        <translation>仑伐替尼</translation>
    </message>
    <message>
        <source>Milestones</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>TACE</source>
        <translation>TACE</translation>
    </message>
    <message>
        <source>TACE %1</source>
        <translation>TACE %1</translation>
    </message>
    <message>
        <source>Timeline of the patient&apos;s course</source>
        <translation>患者病程时间轴</translation>
    </message>
    <message>
        <source>consent</source>
        <translation>知情同意</translation>
    </message>
    <message>
        <source>day %1</source>
        <translation>第%1天</translation>
    </message>
    <message>
        <source>death</source>
        <translation>死亡</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>入组</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>失访</translation>
    </message>
    <message>
        <source>next: %1</source>
        <translation>下一项：%1</translation>
    </message>
    <message>
        <source>recurrence</source>
        <translation>复发</translation>
    </message>
    <message>
        <source>screened</source>
        <translation>筛选</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>UnexpectedError</name>
    <message>
        <source>The details are in the log:
%1</source>
        <translation>详细信息见日志：
%1</translation>
    </message>
    <message>
        <source>No log file could be written.</source>
        <translation>无法写入日志文件。</translation>
    </message>
    <message>
        <source>Something unexpected went wrong: %1: %2

The action may not have finished. What you typed is still in the window: check it, save again, or copy it before closing.

%3</source>
        <translation>发生意外错误：%1：%2

操作可能未完成。您输入的内容仍在窗口中：请核对后重新保存，或在关闭前复制。

%3</translation>
    </message>
    <message>
        <source>TACE Log: unexpected problem</source>
        <translation>TACE 手术登记：意外问题</translation>
    </message>
</context>
<context>
    <name>UserChangeDialog</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>用户名(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>姓名(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>角色(&amp;R)</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <source>New password &amp;again</source>
        <translation>再次输入新密码(&amp;A)</translation>
    </message>
    <message>
        <source>Allowed by</source>
        <translation>授权人</translation>
    </message>
    <message>
        <source>Password of who allows it</source>
        <translation>授权人的密码</translation>
    </message>
    <message>
        <source>Allowed &amp;by</source>
        <translation>授权人(&amp;B)</translation>
    </message>
    <message>
        <source>Their &amp;password</source>
        <translation>授权人密码(&amp;P)</translation>
    </message>
    <message>
        <source>The two new passwords differ: nothing was changed.</source>
        <translation>两次输入的新密码不一致：未作任何更改。</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>TACE Log - first user</source>
        <translation>TACE 手术登记 - 第一位用户</translation>
    </message>
    <message>
        <source>This logbook has no users yet. Add the first radiologist (or an administrator): they sign procedures, and allow adding the others in Tools &gt; Users.</source>
        <translation>此登记库尚无用户。请添加第一位放射科医师（或管理员）：由其签署手术记录，并在“工具 &gt; 用户”中授权添加其他用户。</translation>
    </message>
    <message>
        <source>Add and sign in</source>
        <translation>添加并登录</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&amp;Add user...</source>
        <translation>添加用户(&amp;A)...</translation>
    </message>
    <message>
        <source>&amp;Deactivate...</source>
        <translation>停用(&amp;D)...</translation>
    </message>
    <message>
        <source>Set &amp;password...</source>
        <translation>设置密码(&amp;P)...</translation>
    </message>
    <message>
        <source>active</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>, must change password</source>
        <translation>，须修改密码</translation>
    </message>
    <message>
        <source>&amp;Activate...</source>
        <translation>启用(&amp;A)...</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>A new user, with the role they work in: radiologists sign procedures, nurses record them.</source>
        <translation>新用户及其工作角色：放射科医师签署手术记录，护士录入手术记录。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Deactivate %1? They can no longer sign in or sign; their signatures stay as they are.</source>
        <translation>停用 %1？停用后不能再登录或签名；其已有签名保持不变。</translation>
    </message>
    <message>
        <source>Activate %1 again?</source>
        <translation>重新启用 %1？</translation>
    </message>
    <message>
        <source>Deactivate user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Activate user</source>
        <translation>启用用户</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>A new password for %1, who forgot theirs. They must choose their own before they sign or allow changes.</source>
        <translation>为忘记密码的 %1 设置新密码。其在签名或授权更改前必须改为自己的密码。</translation>
    </message>
</context>
<context>
    <name>WhoIsWorking</name>
    <message>
        <source>Switch &amp;user...</source>
        <translation>切换用户(&amp;U)...</translation>
    </message>
    <message>
        <source>Change pass&amp;word...</source>
        <translation>修改密码(&amp;W)...</translation>
    </message>
    <message>
        <source>%1; the idle lock uses %2 minutes.</source>
        <translation>%1；空闲锁定时间为 %2 分钟。</translation>
    </message>
    <message>
        <source>&amp;Sign in...</source>
        <translation>登录(&amp;S)...</translation>
    </message>
    <message>
        <source>Working: %1</source>
        <translation>当前用户：%1</translation>
    </message>
    <message>
        <source>Working as %1 (no users yet: %2)</source>
        <translation>当前用户：%1（尚无用户：%2）</translation>
    </message>
    <message>
        <source>Who is working at this workstation? Sign in to continue.</source>
        <translation>当前在此工作站操作的是谁？请登录后继续。</translation>
    </message>
    <message>
        <source>Locked after %1 minutes without activity (%2 was working).</source>
        <translation>%1 分钟无操作后已锁定（此前用户：%2）。</translation>
    </message>
    <message>
        <source>Password of %1 changed.</source>
        <translation>%1 的密码已修改。</translation>
    </message>
    <message>
        <source>Your password was set by someone else: choose your own.</source>
        <translation>您的密码是由他人设置的：请设置您自己的密码。</translation>
    </message>
</context>
<context>
    <name>WorklistModel</name>
    <message>
        <source>entered in error</source>
        <translation>录入错误</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>WorklistPanel</name>
    <message>
        <source>Search procedures</source>
        <translation>搜索手术</translation>
    </message>
    <message>
        <source>Search name, MRN or study ID (Ctrl+F)</source>
        <translation>搜索姓名、住院号或研究编号（Ctrl+F）</translation>
    </message>
    <message>
        <source>Procedures</source>
        <translation>手术</translation>
    </message>
    <message numerus="yes">
        <source>%n procedure(s)</source>
        <translation>
            <numerusform>%n 例手术</numerusform>
        </translation>
    </message>
</context>
</TS>
