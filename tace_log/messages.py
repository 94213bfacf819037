"""The message catalogue: every user-facing text of the core, in English and Chinese, by key.

- Findings: the key is the finding's code, or `code.variant` when one code is worded several ways
  (`type.list`, `type.date`); `Finding.code` is the part before the dot.
- Errors: each class of `errors.py` has an entry by its class name (the sentence for a message that is only
  English detail, such as an operating system's reason); a raise with its own wording names an `error.*` key.
- The report's words (`report.*`), roles (`role.*`), what a signature means (`meaning.*`), the labels of values
  the report and form derive (`derived.*`), and the phrases other entries are built of.
- The CLI's own lines (`cli.*`), the only entries that may name a `tace-log` command or an `--option`: a
  radiologist never needs a terminal. Where the core's message says what to do in the app (Tools > Users), a
  `cli.KEY` beside it says it the CLI's way (`tace-log user activate`), and the CLI prints that one in its place
  (`cli_wording`).

Clinical labels stay in the data dictionary, where each field is declared once with its English and Chinese
names: this catalogue reads them rather than copying them. A parameter that has a `label(language)` method (a
dictionary `Field`, `Entity` or `Choice`, a formulary agent, a protocol arm, a `Finding`, and `Shown`, `Worded`,
`Listing` here) is rendered in the message's language; a `Message` parameter is rendered in it too; anything
else is written as it is (numbers are formatted by the caller, so they read the same in both languages).

Loading this module is a dict literal: cheap enough for start-up.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

EN, ZH = "en", "zh"


def language_named(name: str) -> str:
    """The catalogue's language for a language or locale name ('zh', 'zh_CN.UTF-8', 'en_GB', 'C'): Chinese for any
    Chinese, else English. The app's View > Language and the CLI's --lang both read names this way."""
    return ZH if name.strip().lower().startswith("zh") else EN

CATALOGUE: dict[str, tuple[str, str]] = {
    # -- findings: the document's shape ----------------------------------------------------------------------
    "type.document": ("the document must be a JSON object", "文档必须是JSON对象"),
    "type.patients": ("must be a list of patients", "必须是患者列表"),
    "type.procedures": ("must be a list of procedures", "必须是手术列表"),
    "type.addenda": ("must be a list of addenda", "必须是补充说明列表"),
    "type.list": ("must be a list", "必须是列表"),
    "type.entity": ("must be an object ({entity:lower})", "必须是对象（{entity}）"),
    "type.signature": ("must be an object (the signature)", "必须是对象（签名）"),
    "type.addendum": ("must be an object (an addendum)", "必须是对象（补充说明）"),
    "type.blank_text": ("must be text, not blank", "必须是文本，不能为空"),
    "type.sha256": ("must be a SHA-256: 64 lowercase hexadecimal digits", "必须是SHA-256：64位小写十六进制数字"),
    "type.timestamp": ("must be a time in ISO 8601 with its zone, as 2026-03-14T11:00:05Z",
                       "必须是带时区的ISO 8601时间，例如2026-03-14T11:00:05Z"),
    "type.uuid": ("must be a UUID string", "必须是UUID字符串"),
    "type.text": ("must be text", "必须是文本"),
    "type.date": ("must be a date written YYYY-MM-DD", "必须是YYYY-MM-DD格式的日期"),
    "type.real_date": ("{value} is not a real date", "{value}不是有效日期"),
    "type.time": ("must be a time of day, HH:MM (09:30)", "必须是时间，格式为HH:MM（如09:30）"),
    "likely_duplicate": ("the patient already has a procedure on {date}, cycle {cycle}: the same one entered twice?",
                         "该患者已有{date}第{cycle}次的手术记录：是否重复录入？"),
    "likely_duplicate.no_cycle": ("the patient already has a procedure on {date}, with no cycle either: the same one "
                                  "entered twice?", "该患者已有{date}的手术记录，同样未填周期：是否重复录入？"),
    "time_order": ("ends at {end}, before it started ({start}): past midnight, or a slip?",
                   "结束时间{end}早于开始时间{start}：跨过午夜，还是输入有误？"),
    "type.int": ("must be a whole number", "必须是整数"),
    "type.number": ("must be a number", "必须是数字"),
    "type.bool": ("must be true or false", "必须是true或false"),
    "unknown_key": ("unknown key {key}", "未知的键{key}"),
    "unknown_key.format_2": ("is a {format} key: this document says {found}", "是{format}的键：本文档声明为{found}"),
    "format": ("must be {first} or {second} (found {found})", "必须是{first}或{second}（实际为{found}）"),
    "duplicate_mrn": ("MRN {mrn} is also patients[{index}]", "住院号{mrn}与patients[{index}]重复"),
    "duplicate_id": ("is also the id at {other}: two records cannot share one id (a UUID is one id in capitals, in "
                     "braces or without hyphens)",
                     "与{other}的ID相同：两条记录不能共用一个ID（UUID无论大写、加花括号或省略连字符都是同一个ID）"),
    "addenda_unsigned": ("a draft has no addenda: an addendum is added to a signed procedure",
                         "草稿没有补充说明：补充说明只能添加到已签名的手术"),
    "entered_in_error_unsigned": ("a draft is not marked entered in error: it is deleted instead",
                                  "草稿不标记为录入错误：直接删除即可"),
    "type.entered_in_error": ("must be an object (an entered-in-error mark) or null",
                              "必须是对象（录入错误标记）或 null"),
    "duplicate_addendum": ("is also addenda[{index}]: give each addendum once",
                           "与addenda[{index}]重复：每条补充说明只能出现一次"),
    "encoding": ("{path} is not UTF-8 text ({reason})", "{path}不是UTF-8文本（{reason}）"),
    "json": ("{source} is not valid JSON: {problem} at line {line}, column {column}",
             "{source}不是有效的JSON：第{line}行第{column}列，{problem}"),
    "unreadable": ("{problem}", "无法读取：{problem}"),
    "unreadable.document": ("the document {problem}", "无法读取文档：{problem}"),
    "too_deep": ("is nested more than {depth} levels deep (line {line}); a tace-log/1 document nests 7",
                 "嵌套超过{depth}层（第{line}行）；tace-log/1文档最多嵌套7层"),
    # -- findings: values ------------------------------------------------------------------------------------
    "required": ("is required", "为必填项"),
    "required_to_sign": ("is required before signing", "签名前必须填写"),
    "not_text": ("contains {char}, half of a character: it cannot be stored", "包含{char}（半个字符）：无法保存"),
    "not_text.half": ("contains half of a character: it cannot be stored", "包含半个字符：无法保存"),
    "invisible_character": ("contains an invisible or control character ({name}): type it again without it",
                            "包含不可见字符或控制字符（{name}）：请去掉该字符后重新输入"),
    "too_long": ("{field} must be at most {limit} characters long, not {length}",
                 "{field}最多{limit}个字符，当前为{length}个"),
    "too_large": ("is too large a number to store", "数字太大，无法保存"),
    "choice": ("{value} is not one of {choices}", "{value}不在可选值中：{choices}"),
    "choice.role": ("must be one of {roles}", "必须是以下之一：{roles}"),
    "duplicate": ("lists a value twice", "有重复的值"),
    "limit.between": ("must be between {low} and {high}{unit}, not {value}{hint}",
                      "必须在{low}至{high}{unit}之间，当前为{value}{hint}"),
    "limit.max": ("must be at most {high}{unit}, not {value}{hint}", "不能超过{high}{unit}，当前为{value}{hint}"),
    "limit.min": ("must be at least {low}{unit}, not {value}{hint}", "不能低于{low}{unit}，当前为{value}{hint}"),
    "high": ("{value}{unit} is unusually high (usual up to {usual}{unit}){hint}",
             "{value}{unit}异常偏高（通常不超过{usual}{unit}）{hint}"),
    "dose_follow_up": ("{value}{unit} is above the SIR/NCRP threshold for radiation follow-up ({threshold}{unit}): "
                       "arrange a skin check{hint}",
                       "{value}{unit}超过SIR/NCRP辐射随访阈值（{threshold}{unit}）：请安排皮肤检查随访{hint}"),
    "low": ("{value}{unit} is unusually low (usual from {usual}{unit}){hint}",
            "{value}{unit}异常偏低（通常不低于{usual}{unit}）{hint}"),
    "hint": (" ({help})", "（{help}）"),
    "future_date": ("{date} is in the future (today is {today})", "{date}是将来的日期（今天是{today}）"),
    "not_applicable": ("{field} is recorded only when {controlling:lower} is {allowed} ({now}): clear it, or "
                       "correct {controlling:lower}",
                       "仅当{controlling}为{allowed}时才记录{field}（{now}）：请清除该项，或更正{controlling}"),
    "not_applicable.given": ("it is {value}", "当前为{value}"),
    "not_applicable.not_recorded": ("it is not recorded", "当前未记录"),
    # -- findings: clinical rules ----------------------------------------------------------------------------
    "date_order.birth": ("must not be before the birth date", "不能早于出生日期"),
    "date_order.resection": ("must not be before the resection date ({resection})",
                             "不能早于肝切除日期（{resection}）"),
    "eligibility_age": ("age {age} at resection is outside the protocol's {low}-{high} years",
                        "肝切除时年龄{age}岁，不在方案规定的{low}-{high}岁范围内"),
    "tace_window": ("cycle {cycle} is {days} days after resection; the protocol's TACE window is day {first}-{last}",
                    "第{cycle}周期为术后第{days}天；方案规定的TACE时间窗为术后第{first}-{last}天"),
    "arm_without_tace": ("the patient's arm ({arm}) has no TACE in the protocol",
                         "患者所在分组（{arm}）在方案中不做TACE"),
    "segments_missing": ("tumour staining is present: name at least one stained segment",
                         "有肿瘤染色：请至少填写一个染色肝段"),
    "staining_mismatch": ("tumour staining is {staining} but the embolization is {chosen} (the protocol gives "
                          "{proposed}): give the reason in the findings",
                          "肿瘤染色为{staining}，但栓塞方式为{chosen}（方案规定为{proposed}）：请在所见中说明原因"),
    "selectivity_mismatch": ("tumour staining is present but the injection was whole-liver",
                             "有肿瘤染色，但为全肝注射"),
    "grade_mismatch": ("SIR class 'death' is CTCAE grade 5", "SIR分级为“死亡”时CTCAE分级应为5级"),
    "reason_missing": ("technical success is {success}: say why in the findings",
                       "技术成功为{success}：请在所见中说明原因"),
    "unit": ("{agent} is given in {units}, not {unit}", "{agent}的单位应为{units}，不能是{unit}"),
    "dose_not_positive": ("must be > 0", "必须大于0"),
    "dose_limit": ("{dose} {unit} of {agent} is above the limit of {limit} {unit} per session",
                   "{agent} {dose} {unit}超过每次治疗上限{limit} {unit}"),
    "dose_high": ("{dose} {unit} of {agent} is above the usual {usual} {unit}; confirm the dose",
                  "{agent} {dose} {unit}高于常用剂量{usual} {unit}；请确认剂量"),
    "two_anthracyclines": ("two anthracyclines in one session: {agents}", "同一次治疗使用了两种蒽环类药物：{agents}"),
    "particle_size_not_applicable": ("{agent} has no particle size", "{agent}没有颗粒大小"),
    "particle_size_limit": ("{value} µm is outside {low}-{high} µm for {agent}",
                            "{value} µm超出{agent}的{low}-{high} µm范围"),
    "particle_range": ("the particle range must go from small to large ({low} to {high} µm)",
                       "颗粒大小范围必须从小到大（{low}至{high} µm）"),
    "particle_range_incomplete": ("give both ends of the particle size range", "请填写颗粒大小范围的上下限"),
    # -- findings: a lab result and an adverse event against their catalogues (catalogues.py) ------------------
    "lab_unit": ("{test} is given in {units}, not {unit}", "{test}的单位应为{units}，不能是{unit}"),
    "implausible": ("{amount} is implausible for {test}: it must be between {low} and {high}{unit}",
                    "{test}为{amount}，不合理：应在{low}至{high}{unit}之间"),
    "unit_slip": ("{amount} is implausible for {test}: {meant}?", "{test}为{amount}，不合理：是否应为{meant}？"),
    "uln_not_applicable": ("an upper limit of normal is recorded for {tests}, not for {test}",
                           "仅{tests}需记录正常值上限，{test}不需要"),
    "ae_term_unknown": ("{term} is not in the adverse-event catalogue: it is kept as written, with kind other (check "
                        "that it is the CTCAE v5 term)",
                        "{term}不在不良事件目录中：按原文保存，归为“其他”类（请核对是否为CTCAE v5术语）"),
    "ae_grade": ("{term} is graded {low} to {high} in CTCAE v5, not {grade}",
                 "CTCAE v5中{term}分为{low}-{high}级，不能是{grade}级"),
    # -- findings: the patient's course (course_checks.py) -------------------------------------------------------
    "date_order.before": ("must not be before {other:lower} ({date})", "不能早于{other}（{date}）"),
    "required_when": ("is required when {field:lower} is {value}", "{field}为{value}时必填"),
    "type.dates": ("must be a list of dates (YYYY-MM-DD)", "必须是日期列表（YYYY-MM-DD）"),
    "values": ("must be {values}, not {value}", "必须是{values}，不能是{value}"),
    "lenvatinib_bid": ("bid is not an HCC dose: lenvatinib is taken once a day (qd), or every other day (qod) at the "
                       "lowest step; twice a day doubles the daily dose (12 mg bid is 24 mg a day)",
                       "bid不是肝癌的用法：仑伐替尼每日一次（qd），最低一级为隔日一次（qod）；"
                       "每日两次会使日剂量加倍（12 mg bid即每日24 mg）"),
    "periods_overlap": ("overlaps lenvatinib[{index}] ({start} to {end}): periods follow one another, one dose each",
                        "与lenvatinib[{index}]（{start}至{end}）重叠：各用药期依次相接，每期一个剂量"),
    "ongoing": ("ongoing", "进行中"),
    "ae_reference": ("names none of this patient's adverse events: record the adverse event with this id",
                     "不是该患者的任何不良事件：请以此id记录该不良事件"),
    "LEN-ARM": ("adjuvant lenvatinib in the arm {arm}, which has none: a crossover or a deviation (kept as recorded)",
                "{arm}组不含仑伐替尼，却记录了辅助仑伐替尼：交叉或偏离方案（按记录保存）"),
    "LEN-START-EARLY": ("lenvatinib started on day {days} after resection: the label says not before {earliest} days "
                        "after major surgery, and the wound healed",
                        "术后第{days}天开始仑伐替尼：说明书要求大手术后至少{earliest}天且伤口愈合后开始"),
    "LEN-DOSE-WEIGHT": ("a starting dose of {dose} at {weight} kg: the label gives {expected} ({threshold} kg and "
                        "above: 12 mg, below: 8 mg)",
                        "体重{weight} kg起始剂量{dose}：说明书为{expected}（≥{threshold} kg为12 mg，以下为8 mg）"),
    "LEN-DOSE-WEIGHT.threshold": ("exactly {threshold} kg: the registry record does not say which dose, the label "
                                  "gives {dose}", "体重恰为{threshold} kg：注册记录未规定剂量，说明书为{dose}"),
    "LEN-LADDER": ("{dose} after a hold for an adverse event at {before}: the next step down is {step}",
                   "因不良事件暂停前为{before}，恢复为{dose}：下一级应为{step}"),
    "LEN-RESUME-SAME": ("resumed at {dose} after a hold for a grade {grade} adverse event: the label resumes one step "
                        "lower ({lower})", "因{grade}级不良事件暂停后按原剂量{dose}恢复：说明书要求降一级（{lower}）"),
    "LEN-DISCONTINUE": ("lenvatinib goes on after {event} ({onset}), which calls for discontinuation (an arterial "
                        "thromboembolism, hepatic failure, nephrotic syndrome, a grade 4 event that is not a "
                        "laboratory value, or a qualifying event at the lowest dose)",
                        "{event}（{onset}）之后仍继续使用仑伐替尼，该事件要求停药（动脉血栓栓塞、肝衰竭、肾病综合征、"
                        "非实验室指标的4级事件，或最低剂量时的需调整事件）"),
    "lenvatinib.stop": ("discontinuation", "停药"),
    "attempt_after_declared": ("is after the patient was declared lost to follow-up ({date})",
                               "晚于判定失访日期（{date}）"),
    "death_before_alive": ("is before {record} ({date}), which shows the patient alive",
                           "早于{record}（{date}），该记录显示患者存活"),
    "after_death": ("is after the patient's recorded death ({date})", "晚于患者记录的死亡日期（{date}）"),
    # -- findings: the logbook and its users -----------------------------------------------------------------
    "mrn_taken": ("MRN {mrn} already belongs to another patient ({owner})", "住院号{mrn}已属于另一位患者（{owner}）"),
    "mrn_taken.import": ("MRN {mrn} already belongs to another patient in the logbook",
                         "住院号{mrn}已属于日志中的另一位患者"),
    "locked": ("{name} has a signed procedure: {field} cannot change ({old} -> {new})",
               "{name}有已签名的手术：{field}不能更改（{old} -> {new}）"),
    "locked.import": ("procedure {id} of {name} (MRN {mrn}) is signed and cannot be changed by import: add an "
                      "addendum instead", "{name}（住院号{mrn}）的手术{id}已签名，不能通过导入更改：请添加补充说明"),
    "duplicate_patient": ("names the same logbook patient as {other}, one by its id and one by its MRN: give each "
                          "patient once",
                          "与{other}指向日志中的同一位患者（一个按ID，一个按住院号）：每位患者只能出现一次"),
    "id_taken": ("this procedure id belongs to another patient in the logbook", "此手术ID属于日志中的另一位患者"),
    "id_taken.record": ("this id is a {record:lower} of another patient in the logbook: one record cannot move to "
                        "another patient", "此ID是日志中另一位患者的{record}：记录不能转移到其他患者"),
    "username": ("must be one word, not blank", "必须是一个词，不能为空"),
    "account.username": ("user name", "用户名"),  # a user's fields, where a finding about them points
    "account.role": ("role", "角色"),
    "account.password": ("password", "密码"),
    "first_user_role": ("the first user must be an administrator or a radiologist, who then adds the others (not a "
                        "{role})", "第一个用户必须是管理员或放射科医师，再由其添加其他用户（不能是{role}）"),
    "username_taken": ("user {username} already exists{again}", "用户{username}已存在{again}"),
    "username_taken.inactive": (" (deactivated: activate {username} again in the Users list, Tools > Users)",
                                "（已停用：请在“工具 > 用户”的用户列表中重新启用{username}）"),
    "password.short": ("must be at least {length} characters", "至少需要{length}个字符"),
    "password.blank": ("must not be only spaces", "不能只包含空格"),
    "password.long": ("must be at most {length} characters", "最多{length}个字符"),
    "password.give_current": ("give the current password, or who allows the change",
                              "请输入当前密码，或由有权限的人允许更改"),
    "password_unchanged": ("must differ from the current one", "必须与当前密码不同"),
    # -- findings: signatures a document carries -------------------------------------------------------------
    "signed_id": ("is required with a signed procedure: the signature covers it",
                  "已签名的手术必须有此项：签名涵盖该项"),
    "signature_hash": ("does not match the signed content: the content or its hash was changed",
                       "与签名内容不符：内容或其哈希值已被更改"),
    "signature_content": ("{problem}", "签名内容无效：{problem}"),
    "signature_content.v1": ("is not what this procedure signs: {covers} differ from what was signed",
                             "不是本手术的签名内容：{covers}与签名时不同"),
    "signature": ("{problem}", "签名验证失败：{problem}"),
    "signature.content": ("{problem}: procedure {id} of {name} (MRN {mrn}) is signed, and a signed record changes "
                          "only by an addendum",
                          "签名验证失败：{problem}：{name}（住院号{mrn}）的手术{id}已签名，已签名的记录只能通过补充说明修改"),
    "addendum_hash": ("{problem}", "补充说明验证失败：{problem}"),
    "entered_in_error_hash": ("the entered-in-error mark does not match its SHA-256: its reason, signer or time "
                              "was changed", "录入错误标记与其SHA-256不符：其原因、签名人或时间已被更改"),
    "signed_differently": ("procedure {id} is signed here by {signer} ({username}) at {at} with another signature: "
                           "a signed record keeps its one signature",
                           "手术{id}已在本日志中由{signer}（{username}）于{at}以另一签名签署：已签名的记录只保留一个签名"),
    # -- what recomputing a signature found (signing.SignatureCheck) ------------------------------------------
    "check.addendum": ("addendum {number} {problem}", "补充说明{number}{problem}"),
    "check.addendum_hash": ("does not match its SHA-256: its text, reason, author or time was changed",
                            "与其SHA-256不符：其内容、原因、作者或时间已被更改"),
    "check.entered_in_error_hash": ("its entered-in-error mark does not match its SHA-256: the reason, signer or "
                                    "time was changed", "其录入错误标记与SHA-256不符：原因、签名人或时间已被更改"),
    "check.v1_differs": ("no longer matches the record: {covers} differ from what was signed",
                         "与记录不再相符：{covers}与签名时不同"),
    "check.impossible_values": ("holds values no record can: it was changed and its hash made again",
                                "含有任何记录都不可能有的值：内容已被更改并重新计算了哈希值"),
    "check.version": ("is of content version {version}, stored as version {stored}",
                      "签名内容版本为{version}，但存储为版本{stored}"),
    "check.procedure_differs": ("the procedure differs from what was signed ({keys})", "手术与签名时不同（{keys}）"),
    "check.patient_differs": ("the patient's {field} differs from what was signed ({signed} signed, {now} in the "
                              "record)", "患者的{field}与签名时不同（签名时为{signed}，记录中为{now}）"),
    "check.signature_differs": ("{key} differs from what was signed ({signed} signed, {stored} stored)",
                                "{key}与签名时不同（签名时为{signed}，存储为{stored}）"),
    "content.not_json": ("is not JSON: not a signed content", "不是JSON：不是签名内容"),
    "content.not_object": ("is not a JSON object: not a signed content", "不是JSON对象：不是签名内容"),
    "content.later_version": ("has content_version {version}: made by a later TACE Log, which this one cannot check",
                              "签名内容版本为{version}：由更新版本的TACE Log生成，本版本无法验证"),
    "content.not_a_procedure": ("is not the signed content of a procedure (keys {keys})",
                                "不是手术的签名内容（键：{keys}）"),
    "content.not_canonical": ("is not written in the one form signed content has (sorted keys, compact, nothing "
                              "unrecorded)", "未以签名内容的唯一格式书写（键已排序、紧凑、无未记录项）"),
    "v1_covers": ("the procedure and the patient's id, MRN, name, sex and birth date",
                  "手术及患者的ID、住院号、姓名、性别和出生日期"),
    # -- errors: one entry per class (errors.py), for a message that is English detail -----------------------
    "TaceLogError": ("{detail}", "操作未完成：{detail}"),
    "LogbookError": ("{detail}", "无法使用日志文件：{detail}"),
    "NotALogbookError": ("{detail}", "不是TACE Log日志文件：{detail}"),
    "LogbookCorruptError": ("{detail}", "日志文件已损坏：{detail}"),
    "LogbookBusyError": ("{detail}", "日志正被其他程序写入，未保存任何内容：{detail}"),
    "DiskFullError": ("{detail}", "磁盘已满，未保存任何内容：{detail}"),
    "BackupError": ("{detail}", "备份失败：{detail}"),
    "UnverifiedBackupError": ("{detail}", "备份验证未通过：{detail}"),
    "NewerSchemaError": ("{detail}", "日志由更新版本的TACE Log创建：{detail}"),
    "LogbookInUseError": ("{detail}", "日志正被其他程序使用，未做任何更改：{detail}"),
    "RecordNotFoundError": ("{detail}", "找不到记录：{detail}"),
    "InvalidInputError": ("{summary}{first}{more}", "{summary}{first}{more}"),
    "RefusedError": ("{detail}", "已拒绝：{detail}"),
    "RecordLockedError": ("{detail}", "记录已签名，不能更改：{detail}"),
    "AuthenticationError": ("{detail}", "登录失败：{detail}"),
    "NotPermittedError": ("{detail}", "无权限：{detail}"),
    "WarningsNotAcknowledgedError": ("{detail}", "警告尚未确认：{detail}"),
    "SettingsError": ("{detail}", "设置文件有误：{detail}"),
    "ProtocolError": ("{detail}", "方案文件有误：{detail}"),
    "DoseFileError": ("{detail}", "剂量报告无法读取：{detail}"),
    "RedcapApiError": ("{detail}", "REDCap出错：{detail}"),
    "KeyImageError": ("{detail}", "图像无法使用：{detail}"),
    # -- errors: their parts and their own wordings ----------------------------------------------------------
    "first_finding": (": {finding}", "：{finding}"),
    "and_more": (" (and {count} more)", "（另有{count}项）"),
    "summary.invalid_input": ("invalid input", "输入无效"),
    "summary.cannot_read": ("cannot read the file", "无法读取文件"),
    "summary.nothing_imported": ("nothing imported", "未导入任何内容"),
    "summary.patient_not_saved": ("patient not saved", "患者未保存"),
    "summary.procedure_not_saved": ("procedure not saved", "手术未保存"),
    "summary.not_saved": ("not saved", "未保存"),
    "summary.user_not_added": ("user not added", "未添加用户"),
    "summary.password_not_changed": ("password not changed", "密码未更改"),
    "summary.addendum_not_added": ("addendum not added", "未添加补充说明"),
    "summary.not_marked_entered_in_error": ("not marked entered in error", "未标记为录入错误"),
    "summary.not_signed": ("procedure {id} not signed", "手术{id}未签名"),
    "error.warnings_not_acknowledged": ("procedure {id} not signed: {count} warning(s) must be acknowledged",
                                        "手术{id}未签名：须确认{count}条警告"),
    "error.wrong_credentials": ("wrong user name or password", "用户名或密码错误"),
    "error.deactivated": ("{username} is deactivated: whoever may add users can activate them again in Tools > "
                          "Users", "{username}已停用：有权添加用户的人可以在“工具 > 用户”中重新启用"),
    "error.role_needed": ("{username} is a {role}: {what} needs {who}", "{username}是{role}：{what}需要{who}"),
    "error.only_radiologist": ("{username} is a {role}: only a radiologist may {action}",
                               "{username}是{role}：只有放射科医师可以{action}"),
    "error.must_change_password": ("{username}'s password was set by someone else: choose your own first (File > "
                                   "Change password)",
                                   "{username}的密码是由他人设置的：请先设置自己的密码（文件 > 修改密码）"),
    "error.must_change_password_to": ("{username}'s password was set by someone else: choose your own before you "
                                      "{action} (File > Change password)",
                                      "{username}的密码是由他人设置的：{action}前请先设置自己的密码"
                                      "（文件 > 修改密码）"),
    "error.restore_not_a_user": ("{username} is not a user of this logbook: restoring a backup needs an administrator "
                                 "or a radiologist signed in",
                                 "{username}不是本日志的用户：恢复备份需要管理员或放射科医师登录"),
    "error.restore_role": ("{username} is a {role}: only an administrator or a radiologist may restore a backup",
                           "{username}是{role}：只有管理员或放射科医师可以恢复备份"),
    "error.last_authoriser": ("{username} is the last active administrator or radiologist: nobody could add or "
                              "activate users after; add another first",
                              "{username}是最后一位在用的管理员或放射科医师：停用后将无人能添加或启用用户；请先添加另一位"),
    "error.no_user": ("no user {username} in this logbook (add them in Tools > Users)",
                      "本日志中没有用户{username}（请在“工具 > 用户”中添加）"),
    "error.no_patient": ("no patient with id {id}", "没有ID为{id}的患者"),
    "error.no_procedure": ("no procedure with id {id}", "没有ID为{id}的手术"),
    "error.no_patient_for_procedure": ("a procedure must belong to a patient", "手术必须属于一位患者"),
    "error.signed": ("procedure {id} is signed and cannot be {what}: add an addendum instead",
                     "手术{id}已签名，不能{what}：请添加补充说明"),
    "error.signed_dated": ("procedure {id} ({date}) is signed and cannot be changed: add an addendum instead",
                           "手术{id}（{date}）已签名，不能更改：请添加补充说明"),
    "error.delete_reason_needed": ("procedure {id} was not deleted: give the reason (it is kept in the audit trail)",
                                   "手术{id}未删除：请填写删除原因（将保存在审计记录中）"),
    "error.addendum_to_draft": ("procedure {id} is a draft: edit it instead of adding an addendum",
                                "手术{id}是草稿：请直接编辑，而不是添加补充说明"),
    "error.entered_in_error_draft": ("procedure {id} is a draft: delete it instead of marking it entered in error",
                                     "手术{id}是草稿：请直接删除，而不是标记为录入错误"),
    "error.entered_in_error_twice": ("procedure {id} is already marked entered in error (by {signer}, {at})",
                                     "手术{id}已被标记为录入错误（{signer}，{at}）"),
    "entered_in_error_differently": ("procedure {id} is marked entered in error here by {signer} at {at}, and "
                                         "this document marks it otherwise: a record keeps its one mark",
                                         "手术{id}已在本日志中由{signer}于{at}标记为录入错误，而本文档的标记不同："
                                         "一条记录只保留一个标记"),
    "error.cannot_read": ("cannot read {path}: {reason}", "无法读取{path}：{reason}"),
    "error.cannot_create": ("cannot create a logbook at {path}: {reason}", "无法在{path}创建日志：{reason}"),
    # opening and writing the logbook file (storage/connection.py); {reason} is the system's or SQLite's words
    "error.symlink_loop": ("{path} cannot be a logbook: it is a symbolic link that loops ({reason})",
                           "{path}不能作为日志：它是循环的符号链接（{reason}）"),
    "error.symlink_missing": ("{path} cannot be a logbook: it is a symbolic link to {target}, which does not exist",
                              "{path}不能作为日志：它是指向{target}的符号链接，而该文件不存在"),
    "error.unreadable_file": ("{path} cannot be read: {reason}", "无法读取{path}：{reason}"),
    "error.folder": ("{path} is a folder, not a logbook file", "{path}是文件夹，不是日志文件"),
    "error.not_regular": ("{path} is not a logbook: it is not a regular file (a pipe, socket or device)",
                          "{path}不是日志：它不是普通文件（而是管道、套接字或设备）"),
    "error.cannot_open": ("{path} cannot be opened: {reason}", "无法打开{path}：{reason}"),
    "error.not_ours": ("{path} is an SQLite database but not a TACE Log logbook",
                       "{path}是SQLite数据库，但不是TACE Log日志"),
    "error.empty": ("{path} is empty (0 bytes): not a TACE Log logbook", "{path}为空（0字节）：不是TACE Log日志"),
    "error.not_sqlite": ("{path} is not a TACE Log logbook (not an SQLite database)",
                         "{path}不是TACE Log日志（不是SQLite数据库）"),
    "error.newer_schema": ("{path} was written by a newer TACE Log (schema {version}; this version reads up to "
                           "{supported}): update TACE Log to open it",
                           "{path}由更新版本的TACE Log写入（结构版本{version}；本版本最高支持{supported}）："
                           "请更新TACE Log后再打开"),
    "error.damaged": ("{path} is damaged ({problem}{more})", "{path}已损坏（{problem}{more}）"),
    "error.damaged_more": (" and {count} more problems", "，另有{count}个问题"),
    "error.damaged_because": ("{path} is damaged: {reason}", "{path}已损坏：{reason}"),
    "error.read_only_recovery": ("{path} cannot be read: its folder is read-only and its journal needs recovering "
                                 "({reason})",
                                 "无法读取{path}：所在文件夹为只读，而其数据库日志（journal）需要恢复（{reason}）"),
    "error.busy_reading": ("{path} is busy: another program kept it locked for {seconds} s (a restore, or a program "
                           "holding it exclusively); nothing was changed, try again",
                           "{path}正忙：另一个程序锁定了{seconds}秒（正在恢复备份，或有程序独占该文件）；未做任何更改，请重试"),
    "error.failing_disk": ("{path} cannot be read just now ({reason}): is its disk full or failing? Nothing was "
                           "changed; free some space and try again",
                           "暂时无法读取{path}（{reason}）：磁盘是否已满或出现故障？未做任何更改；请释放空间后重试"),
    "error.disk_full": ("the disk holding {path} is full: nothing was saved; free some space and try again",
                        "{path}所在磁盘已满：未保存任何内容；请释放空间后重试"),
    "error.refused_by_logbook": ("refused by the logbook: {reason}; nothing was saved",
                                 "日志拒绝了此操作：{reason}；未保存任何内容"),
    "error.busy_writing": ("{path} is busy: another program kept it locked for {seconds} s; nothing was saved, try "
                           "again", "{path}正忙：另一个程序锁定了{seconds}秒；未保存任何内容，请重试"),
    "error.read_only": ("{path} has become read-only: nothing was saved", "{path}已变为只读：未保存任何内容"),
    "error.damaged_writing": ("{path} is damaged ({reason}): nothing was saved",
                              "{path}已损坏（{reason}）：未保存任何内容"),
    "error.cannot_write": ("could not write to {path}: {reason}; nothing was saved",
                           "无法写入{path}：{reason}；未保存任何内容"),
    "error.made_meanwhile": ("another program made a logbook at {path} meanwhile: nothing was written to it; try "
                             "again", "另一个程序同时在{path}创建了日志：未写入任何内容；请重试"),
    "error.no_logbook": ("no logbook at {path}", "{path}处没有日志"),
    "error.read_only_file": ("{path} is read-only: TACE Log needs to write to it",
                             "{path}为只读：TACE Log需要写入该文件"),
    "error.read_only_folder": ("the folder of {path} is read-only: TACE Log needs to write its journal there",
                               "{path}所在文件夹为只读：TACE Log需要在该文件夹中写入数据库日志（journal）"),
    "error.damaged_opening": ("{path} cannot be opened for writing: {reason}", "无法以写入方式打开{path}：{reason}"),
    "error.dangling_rows": ("{path} is damaged (rows point at missing records)",
                            "{path}已损坏（有行指向不存在的记录）"),
    # backups and restores (storage/backup.py)
    "error.not_a_good_backup": ("{reason} - not a good backup", "{reason} - 不是有效的备份"),
    "error.backup_differs": ("the backup {path} does not match the logbook ({differ})",
                             "备份{path}与日志不一致（{differ}）"),
    "error.backup_disk_full": ("no backup written: the disk holding {path} is full", "未写入备份：{path}所在磁盘已满"),
    "error.backup_not_written": ("no backup written to {path}: {reason}", "未能将备份写入{path}：{reason}"),
    "error.backup_exists": ("{path} already exists: choose a new file name for the backup",
                            "{path}已存在：请为备份选择新的文件名"),
    "error.backup_is_logbook": ("{path} is the logbook itself, not a backup of it", "{path}是日志本身，不是它的备份"),
    "error.restore_not_recorded": ("nothing was restored: the restore could not be recorded in {path} ({reason})",
                                   "未恢复任何内容：无法在{path}中记录此次恢复（{reason}）"),
    "error.open_elsewhere": ("{path} is open in {who}: close it there first; nothing was restored",
                             "{path}正在{who}中打开：请先在那里关闭；未恢复任何内容"),
    "error.another_program": ("another program", "另一个程序"),
    "error.backup_unverified": ("{path} was not restored: {problems}. To restore it all the same, say why",
                                "{path}未恢复：{problems}。如仍要恢复，请说明原因"),
    # the settings file beside the logbook (settings.py) and the report's logo
    "error.settings_json": ("{path}: cannot be read as JSON ({reason})", "{path}：无法按JSON读取（{reason}）"),
    "error.settings_object": ("{path}: must hold a JSON object", "{path}：必须是JSON对象"),
    "error.settings_positive": ("{path}: {key} must be a positive number of {unit}, not {value}",
                                "{path}：{key}必须是正数（单位：{unit}），不能是{value}"),
    "unit.minutes": ("minutes", "分钟"),
    "unit.megabytes": ("MB", "兆字节（MB）"),
    "error.settings_report_object": ("{path}: 'report' must be an object", "{path}：“report”必须是对象"),
    "error.settings_unknown_key": ("{path}: unknown key report.{key}", "{path}：未知的键report.{key}"),
    "error.settings_text": ("{path}: report.{key} must be text", "{path}：report.{key}必须是文本"),
    "error.settings_language": ("{path}: report.language must be one of {languages}, not {value}",
                                "{path}：report.language必须是{languages}之一，不能是{value}"),
    "error.settings_logo_missing": ("{path}: report.logo {logo} is not a file ({resolved})",
                                    "{path}：report.logo {logo}不是文件（{resolved}）"),
    # the protocol file in force (protocol.py): the bundled one or the site's beside the logbook
    "error.protocol_json": ("{path}: cannot be read as JSON ({reason})", "{path}：无法按JSON读取（{reason}）"),
    "error.protocol_duplicate": ("{path}: the key {key} is written twice in one object",
                                 "{path}：同一对象中键{key}出现了两次"),
    "error.protocol_unknown_key": ("{path}: unknown key {key}", "{path}：未知的键{key}"),
    "error.protocol_missing_key": ("{path}: {key} is missing", "{path}：缺少{key}"),
    "error.protocol_value": ("{path}: {key} {requirement}, not {value}", "{path}：{key}{requirement}，不能是{value}"),
    "protocol.object": ("must be an object", "必须是对象"),
    "protocol.list": ("must be a list that is not empty", "必须是非空列表"),
    "protocol.text": ("must be text, not blank", "必须是文本，不能为空"),
    "protocol.bool": ("must be true or false", "必须是true或false"),
    "protocol.whole": ("must be a whole number from {low} to {high}", "必须是{low}到{high}之间的整数"),
    "protocol.days": ("must be a whole number of days from {low} to {high}", "必须是{low}到{high}之间的整数天数"),
    "protocol.positive": ("must be a number above 0", "必须是大于0的数字"),
    "protocol.months": ("must be null (no planned duration) or a number of months above 0 and at most 120",
                        "必须是null（无计划疗程）或大于0且不超过120的月数"),
    "protocol.choice": ("must be {choices}", "必须是{choices}"),
    "protocol.unique": ("must differ from {other}", "不能与{other}相同"),
    "error.logo_unreadable": ("report.logo {path} is not a PNG or JPEG image that can be read ({reason})",
                              "report.logo {path}不是可读取的PNG或JPEG图像（{reason}）"),
    # plain files written and read (files.py)
    "error.open_here": ("{path} is open in this program: it cannot be copied, read or written as a plain file now",
                        "{path}已在本程序中打开：现在不能作为普通文件复制、读取或写入"),
    "error.belongs_to_database": ("{path} belongs to the database beside it: choose another file name",
                                  "{path}属于旁边的数据库：请选择其他文件名"),
    "error.cannot_write_file": ("cannot write {path}: {reason}", "无法写入{path}：{reason}"),
    "error.is_database": ("{path} is a database (a logbook or a backup?): it is not replaced; choose another file name",
                          "{path}是数据库（日志或备份？）：不会被覆盖；请选择其他文件名"),
    # the command line's own refusals (cli/)
    "error.file_problems": ("{path}: {problems}", "{path}：{problems}"),
    "error.nothing_named": ("no procedure, patient or MRN {id} in {path}", "{path}中没有手术、患者或住院号{id}"),
    "error.no_mrn": ("no patient with MRN {mrn} in {path}", "{path}中没有住院号为{mrn}的患者"),
    "error.signatures_broken": ("the signature of {count} procedure(s) does not verify: {ids}",
                                "{count}个手术的签名验证失败：{ids}"),
    "error.cannot_create_folder": ("cannot create the folder {path}: {reason}", "无法创建文件夹{path}：{reason}"),
    "error.passwords_differ": ("the two passwords differ: {what}", "两次输入的密码不一致：{what}"),
    "error.problems": ("{problems}", "发现问题：{problems}"),
    "who.admin": ("an administrator", "管理员"),
    "who.radiologist": ("a radiologist", "放射科医师"),
    "who.none": ("an active administrator or radiologist, and there is none", "在用的管理员或放射科医师，但目前没有"),
    "action.sign": ("sign", "签名"),
    "action.sign_addendum": ("sign an addendum", "签署补充说明"),
    "action.mark_entered_in_error": ("mark a procedure entered in error", "将手术标记为录入错误"),
    "what.changed": ("changed", "更改"),
    "what.signed_again": ("signed again", "再次签名"),
    "what.deleted": ("deleted", "删除"),
    "what.add_user": ("adding a user", "添加用户"),
    "what.set_other_password": ("setting another user's password", "设置其他用户的密码"),
    "what.activate_user": ("activating a user", "启用用户"),
    "what.deactivate_user": ("deactivating a user", "停用用户"),
    "error.permission_needed": ("{what} needs the user name and password of {who}", "{what}需要{who}的用户名和密码"),
    # the exports (exports/): words of the files they write, and their refusals
    "export.record_id": ("{entity} id", "{entity}编号"),
    "export.instance": ("{entity} instance", "{entity}实例号"),
    "export.age": ("Age at resection (years)", "手术时年龄（岁）"),
    "export.record_status": ("Record status", "记录状态"),
    "export.status.draft": ("draft, not signed", "草稿，未签名"),
    "export.status.signed": ("signed", "已签名"),
    "export.status.entered_in_error": ("entered in error: not valid", "录入错误：无效"),
    "export.day": ("{field}: days from resection", "{field}：距手术天数"),
    # -- the CLI's own lines (tace_log/cli): what a command did, in the CLI's language --------------------------
    "cli.protocol": ("protocol: {protocol}", "方案：{protocol}"),
    "cli.severity.error": ("error", "错误"),
    "cli.severity.warning": ("warning", "警告"),
    "cli.severity.info": ("info", "提示"),
    "cli.failed": ("tace-log: {problem}", "tace-log 出错：{problem}"),
    "cli.interrupted": ("tace-log: interrupted", "tace-log：已中断"),
    "cli.unexpected": ("tace-log: unexpected error: {kind}: {problem} (run with --debug for details)",
                       "tace-log：意外错误：{kind}：{problem}（加--debug查看详情）"),
    "cli.logbook_warning": ("tace-log: warning: {warning}", "tace-log：警告：{warning}"),
    "cli.imported": ("imported {file}: patients: {patients_added} added, {patients_updated} updated, "
                     "{patients_unchanged} unchanged; procedures: {procedures_added} added, {procedures_updated} "
                     "updated, {procedures_unchanged} unchanged",
                     "已导入{file}：患者新增{patients_added}、更新{patients_updated}、未变{patients_unchanged}；"
                     "手术新增{procedures_added}、更新{procedures_updated}、未变{procedures_unchanged}"),
    "cli.validated": ("{file}: {errors} errors, {warnings} warnings", "{file}：{errors}个错误，{warnings}个警告"),
    "cli.ready_to_import": ("{file}: {errors} errors, {warnings} warnings - ready to import",
                            "{file}：{errors}个错误，{warnings}个警告——可以导入"),
    "cli.deleted": ("deleted procedure {id} ({date}) of {name}; the reason is in the audit trail",
                    "已删除{name}的手术{id}（{date}）；删除原因已记入审计记录"),
    "cli.listed": ("{shown} of {total} procedures", "共{total}例手术，显示{shown}例"),
    "cli.patient": ("Patient {name} (MRN {mrn}), id {id}", "患者 {name}（住院号{mrn}），id {id}"),
    "cli.procedure": ("Procedure {date}, {status}, id {id}", "手术 {date}，{status}，id {id}"),
    "cli.status.draft": ("draft", "草稿"),
    "cli.status.signed": ("signed", "已签名"),
    "cli.addendum": ("ADDENDUM {at} by {author}{elsewhere} (reason: {reason}):",
                     "补充说明 {at}，{author}{elsewhere}（原因：{reason}）："),
    "cli.entered_in_error": ("ENTERED IN ERROR {at} by {signer}{elsewhere} (reason: {reason})",
                             "录入错误 {at}，{signer}{elsewhere}（原因：{reason}）"),
    "cli.status.entered_in_error": ("signed, entered in error", "已签名，录入错误"),
    "cli.signed_elsewhere": (" (signed elsewhere)", "（在别处签名）"),
    "cli.signer_role": ("{username}, {role}", "{username}，{role}"),
    "cli.signed": ("Signed: {elsewhere}{meaning:lower} {signer} ({who}) at {at}; SHA-256 {sha256}",
                   "签名：{elsewhere}{meaning} {signer}（{who}），{at}；SHA-256 {sha256}"),
    "cli.signer_elsewhere": ("signed elsewhere (not a user of this logbook): ", "在别处签名（非本记录本用户）："),
    "cli.signature_broken": ("SIGNATURE DOES NOT VERIFY: {problem}", "签名验证失败：{problem}"),
    "cli.signature_v1": ("Signature verified; made before TACE Log stored the signed content, it covers only "
                         "{covers} (the rest is shown as recorded now)",
                         "签名验证通过；此签名早于TACE Log保存签名内容，只覆盖{covers}（其余按当前记录显示）"),
    "cli.signature_ok": ("Signature verified: it covers every value of the record and of its report",
                         "签名验证通过：覆盖记录及其报告的每一个值"),
    "cli.changed_since_signing": ("Changed since signing: {changes}", "签名后的更改：{changes}"),
    "cli.backed_up": ("backed up {path} to {backup}", "已将{path}备份至{backup}"),
    "cli.removed_backup": ("removed old backup {path}", "已删除旧备份{path}"),
    "cli.restored": ("restored {path} from {source} ({procedures} procedures){kept}",
                     "已从{source}恢复{path}（{procedures}例手术）{kept}"),
    "cli.restore_kept": ("; the previous logbook is kept as {path}", "；原记录本保留为{path}"),
    "cli.backups": ("{count} backups; newest good backup: {good}", "共{count}个备份；最新的完好备份：{good}"),
    "cli.none": ("none", "无"),
    "cli.check_ok": ("{path}: ok ({procedures} procedures, {patients} patients; schema as the migrations made it; "
                     "{trail}; {signatures})",
                     "{path}：完好（{procedures}例手术，{patients}名患者；结构与迁移一致；{trail}；{signatures}）"),
    "cli.audit_ok": ("{trail}; schema as the migrations made it; {signatures}",
                     "{trail}；结构与迁移一致；{signatures}"),
    "cli.wrote": ("wrote {path}", "已写出{path}"),
    "cli.wrote_cutoff": ("wrote {path} (data cutoff {cutoff})", "已写出{path}（数据截止日{cutoff}）"),
    "cli.enrolled": ("cutoff {cutoff}: {count} enrolled patients", "截止日{cutoff}：入组患者{count}名"),
    "cli.unscreened_left_out": ("; {count} without a screening record left out", "；{count}名无筛选记录者未计入"),
    "cli.analysed": ("cutoff {cutoff}: {count} patients analysed for {endpoint}",
                     "截止日{cutoff}：{endpoint}分析患者{count}名"),
    "cli.due_unknown": ("tace-log due: no patient with MRN {mrns}", "tace-log due：没有住院号为{mrns}的患者"),
    "cli.due_flagged": ("as of {day}: {flagged} of {total} patients flagged",
                        "截至{day}：{total}名患者中{flagged}名需关注"),
    "cli.dose_file": ("{file}: {device}, {planes} plane(s), {events} irradiation events",
                      "{file}：{device}，{planes}个平面，{events}次照射事件"),
    "cli.xray_system": ("X-ray system", "X线设备"),
    "cli.dose_not_saved": ("not saved: add --save to write these into the procedure",
                           "未保存：加--save将这些值写入该手术记录"),
    "cli.dose_other_procedure": ("{problem}; nothing imported: check the file, or add --force to import it anyway",
                                 "{problem}；未导入：请核对文件，或加--force仍然导入"),
    "cli.saved": ("saved", "已保存"),
    "cli.push_progress": ("{done} of {total} patients", "{done}/{total}名患者"),
    "cli.push_done": ("REDCap at {url}: {patients} patients; rows {new} new, {changed} changed, {unchanged} "
                      "unchanged; REDCap imported {sent}",
                      "{url}的REDCap：{patients}名患者；行：新增{new}，更改{changed}，未变{unchanged}；REDCap已导入{sent}"),
    "cli.push_dry_run": ("dry run, nothing sent: REDCap at {url}, {patients} patients; a push would add {new} rows "
                         "and change {changed} ({unchanged} unchanged)",
                         "试运行，未发送：{url}的REDCap，{patients}名患者；推送将新增{new}行、更改{changed}行（{unchanged}行未变）"),
    "cli.push_more_changes": ("  … and {count} more changed rows", "  … 另有{count}行更改"),
    "cli.push_refused": ("refused: record {record}: {reason}", "被拒绝：记录{record}：{reason}"),
    "cli.key_image_attached": ("key image {number} attached and saved: {file} ({kind}, {width}x{height} px, SHA-256 "
                               "{sha256}…)", "已添加并保存关键图像{number}：{file}（{kind}，{width}x{height}像素，"
                               "SHA-256 {sha256}…）"),
    "cli.protocol_site": ("the site file beside the logbook", "记录本旁的本中心方案文件"),
    "cli.protocol_bundled": ("the bundled file (no {site})", "内置方案文件（没有{site}）"),
    "cli.report_problem": ("tace-log report: {problem}", "tace-log report 出错：{problem}"),
    "cli.reports_progress": ("reports: {done}/{total}", "报告：{done}/{total}"),
    "cli.report_not_written": ("tace-log: report not written: {problem}", "tace-log：报告未写出：{problem}"),
    "cli.reports_written": ("wrote {written} of {total} reports to {folder}",
                            "已将{total}份报告中的{written}份写至{folder}"),
    "cli.user_added": ("added {role} {username} ({name})", "已添加{role} {username}（{name}）"),
    "cli.password_changed": ("password of {username} changed", "{username}的密码已更改"),
    "cli.users": ("{count} users", "共{count}名用户"),
    "cli.user_already": ("{username} is already {state}", "{username}已经是{state}状态"),
    "cli.user_activated": ("{username} activated", "{username}已启用"),
    "cli.user_deactivated": ("{username} deactivated", "{username}已停用"),
    "cli.state.active": ("active", "启用"),
    "cli.state.inactive": ("deactivated", "停用"),
    "cli.audit_rows": ("{count} audit rows for {id}", "{id}共{count}条审计记录"),
    "cli.audit_exported": ("exported {count} audit rows to {path}", "已将{count}条审计记录导出至{path}"),
    "cli.password_for": ("password for {username}: ", "{username}的密码："),
    "cli.current_password_for": ("current password for {username}: ", "{username}的当前密码："),
    "cli.new_password_for": ("new password for {username}: ", "{username}的新密码："),
    "cli.password_again": ("again: ", "请再输入一次："),
    "cli.state.must_change_password": ("must choose a new password", "须设置新密码"),
    "cli.signed_procedure": ("signed procedure {id}: {meaning:lower} {signer} at {at} (SHA-256 {sha256})",
                             "已签名手术{id}：{meaning} {signer}，{at}（SHA-256 {sha256}）"),
    "cli.added_addendum": ("added addendum {id} to procedure {procedure}, signed by {author} at {at}",
                           "已为手术{procedure}添加补充说明{id}，签名人{author}，{at}"),
    "cli.marked_entered_in_error": ("marked procedure {id} entered in error, signed by {signer} at {at}",
                                    "已将手术{id}标记为录入错误，签名人{signer}，{at}"),
    # `tace-log history`: a row of the audit trail a line; in English the trail's own words (its action, table and
    # column as stored, for an auditor), in Chinese the labels
    "cli.history_line": ("{at}\t{who}\t{action} {what}: {old} -> {new}{reason}",
                         "{at}\t{who}\t{action} {what}：{old} -> {new}{reason}"),
    "cli.history_reason": ("  (reason: {reason})", "（原因：{reason}）"),
    "cli.history.insert": ("insert", "新增"),
    "cli.history.update": ("update", "更改"),
    "cli.history.delete": ("delete", "删除"),
    "cli.history.restore": ("restore", "恢复备份"),
    "cli.history.table.signatures": ("signatures", "签名"),
    "cli.history.table.addenda": ("addenda", "补充说明"),
    "cli.history.table.logbook": ("logbook", "日志"),
    "cli.history.column.id": ("id", "记录ID"),
    "cli.history.column.procedure_id": ("procedure id", "手术ID"),
    "cli.history.column.patient_id": ("patient id", "患者ID"),
    "cli.history.column.position": ("position", "顺序"),
    "cli.history.column.status": ("status", "状态"),
    "cli.history.column.username": ("user name", "用户名"),
    "cli.history.column.signer": ("signer", "签名人"),
    "cli.history.column.meaning": ("meaning", "签名含义"),
    "cli.history.column.signed_at": ("signed at", "签名时间"),
    "cli.history.column.content_sha256": ("content SHA-256", "内容SHA-256"),
    "cli.history.column.content_version": ("content version", "内容版本"),
    "cli.history.column.signer_role": ("signer's role", "签名人角色"),
    "cli.history.column.signed_elsewhere": ("signed elsewhere", "在别处签名"),
    "cli.history.column.text": ("text", "内容"),
    "cli.history.column.reason": ("reason", "原因"),
    "cli.history.column.author": ("author", "作者"),
    "cli.history.column.created_at": ("created at", "创建时间"),
    "cli.history.column.updated_at": ("updated at", "更新时间"),
    "cli.history.column.restore": ("restore", "恢复备份"),
    "cli.yes": ("yes", "是"),
    "cli.no": ("no", "否"),
    "cli.backup_hint": ("; newest good backup: {good} (tace-log restore it)",
                        "；最新的完好备份：{good}（用tace-log restore恢复）"),
    "cli.no_good_backup": ("; no good backup found", "；未找到完好的备份"),
    "cli.acknowledge_hint": ("{error}: read them, then sign with --acknowledge-warnings",
                             "{error}：请阅读这些警告，然后使用--acknowledge-warnings签名"),
    "cli.deidentify_options": ("--secret-file, --shift-dates and --free-text go with --deidentify",
                               "--secret-file、--shift-dates和--free-text需与--deidentify一起使用"),
    "cli.changed_since": ("--changed-since {value} is not a moment: give ISO 8601, e.g. 2026-11-30T18:00+08:00 "
                          "(no zone: local time) or a date", "--changed-since {value}不是有效时间：请用ISO 8601格式，"
                          "如2026-11-30T18:00+08:00（不带时区即本地时间），或只写日期"),
    "cli.one_format": ("give one --format, or several with --package", "请只指定一个--format，或用--package指定多个"),
    "cli.package_needs_output": ("--package writes a zip: give it with -o FILE.zip", "--package会写出zip文件：请用-o "
                                 "FILE.zip指定"),
    "cli.export_needs_output": ("--format {format} writes several files: give a folder with -o DIR",
                                "--format {format}会写出多个文件：请用-o DIR指定文件夹"),
    # `tace-log --help` and each command's: what each command and option does (the parser is built in the CLI's
    # language); `usage`, `positionals`, `options`, `help` are argparse's own words, in English as argparse says them
    "cli.help.tace_log": ("TACE Log: the TACE procedure logbook.", "TACE Log：TACE手术日志。"),
    "cli.help.db": ("logbook file (default: $TACE_LOG_DB, else tace-log.sqlite in the user data folder)",
                    "日志文件（默认：$TACE_LOG_DB，否则为用户数据文件夹中的tace-log.sqlite）"),
    "cli.help.debug": ("show a traceback on failure", "出错时显示回溯信息"),
    "cli.help.lang": ("the language of what the command says: en or zh (default: $TACE_LOG_LANG, else the system's "
                      "locale); --json, CSV and files are the same in both",
                      "命令输出的语言：en或zh（默认：$TACE_LOG_LANG，否则为系统区域设置）；--json、CSV和文件在两种语"
                      "言下相同"),
    "cli.help.backup": ("make a verified backup (default: into backups/ beside the logbook)",
                        "生成经验证的备份（默认：写入日志旁的backups/）"),
    "cli.help.backup.output": ("write the backup to FILE instead (not rotated)", "改为将备份写入FILE（不参与轮换）"),
    "cli.help.backup.keep_daily": ("rotation keeps the newest backup of each of the last N days (default {days})",
                                   "轮换保留最近N天中每天最新的备份（默认{days}）"),
    "cli.help.backup.keep_weekly": ("and of each of the last N weeks (default {weeks})",
                                    "以及最近N周中每周最新的备份（默认{weeks}）"),
    "cli.help.restore": ("replace the logbook with a backup (verified first; the current logbook is kept as a safety "
                         "copy)", "用备份替换日志（先验证；当前日志保留为安全副本）"),
    "cli.help.restore.file": ("the backup file", "备份文件"),
    "cli.help.restore.despite": ("restore it although its audit trail, schema or signatures do not verify; the "
                                 "reason goes into the restore's audit row",
                                 "即使其审计记录、结构或签名验证未通过也恢复；原因记入此次恢复的审计记录"),
    "cli.help.backups": ("list the logbook's backups, newest first, and the newest good one",
                         "列出日志的备份（最新的在前）及最新的完好备份"),
    "cli.help.check": ("run a full integrity check of the logbook or of a backup (damage, schema, audit trail and "
                       "the heads recorded outside it, every signature recomputed); writes nothing",
                       "对日志或备份做完整性检查（损坏、结构、审计记录及其外部记录的链头，重新计算每个签名）；不写入"
                       "任何内容"),
    "cli.help.check.file": ("the file to check (default: the logbook)", "要检查的文件（默认：日志）"),
    "cli.help.endpoints": ("RFS, OS and TTR in days, with event flags, of every enrolled patient at a cutoff",
                           "截止日时每名入组患者的RFS、OS和TTR（天）及事件标记"),
    "cli.help.analysis_cutoff": ("analysis cutoff (default: today)", "分析截止日（默认：今天）"),
    "cli.help.interchange_json": ("print the JSON of the interchange contract", "输出交换格式约定的JSON"),
    "cli.help.due": ("the research coordinator's flags of each patient as of a date",
                     "截至某日，研究协调员对每名患者的关注标记"),
    "cli.help.due.mrns": ("only these patients (default: every patient)", "仅这些患者（默认：全部患者）"),
    "cli.help.due.as_of": ("the day (default: today)", "日期（默认：今天）"),
    "cli.help.survival": ("Kaplan-Meier by arm, log-rank, Cox hazard ratios and median follow-up of an endpoint at a "
                          "cutoff", "截止日时某终点的分组Kaplan-Meier曲线、log-rank检验、Cox风险比及中位随访时间"),
    "cli.help.survival.endpoint": ("rfs (default), os or ttr", "rfs（默认）、os或ttr"),
    "cli.help.survival.by": ("the grouping (arm)", "分组方式（组别）"),
    "cli.help.survival.output": ("also write the Kaplan-Meier figure as a PDF", "同时将Kaplan-Meier图写出为PDF"),
    "cli.help.study_report": ("the study report PDF at a data cutoff: flow, baseline by arm, RFS and OS curves, "
                              "adverse events, lenvatinib",
                              "数据截止日的研究报告PDF：研究流程、各组基线、RFS和OS曲线、不良事件、仑伐替尼"),
    "cli.help.study_report.cutoff": ("data cutoff (default: today)", "数据截止日（默认：今天）"),
    "cli.help.study_report.output": ("where to write it", "写出位置"),
    "cli.help.study_report.language": ("the report's language (default: the command's, tace-log --lang)",
                                       "报告的语言（默认：命令的语言，即tace-log --lang）"),
    "cli.help.flow": ("the study flow (CONSORT/STROBE counts) at a cutoff", "截止日时的研究流程（CONSORT/STROBE计数）"),
    "cli.help.flow.cutoff": ("count up to (default: today)", "计数截至（默认：今天）"),
    "cli.help.dose_import": ("read a procedure's dose from the X-ray system's radiation dose report (RDSR), and save "
                             "it with --save", "从X线设备的辐射剂量报告（RDSR）读取手术的剂量，加--save保存"),
    "cli.help.dose_import.file": ("a DICOM X-Ray Radiation Dose SR", "DICOM X线辐射剂量结构化报告（RDSR）"),
    "cli.help.dose_import.save": ("write the values into the (unsigned) procedure",
                                  "将这些值写入该（未签名的）手术记录"),
    "cli.help.dose_import.force": ("import it although its patient ID or study date is not the procedure's patient's "
                                   "MRN or date", "即使其患者ID或检查日期与该手术患者的住院号或手术日期不符也导入"),
    "cli.help.eligibility": ("who is eligible and why: every inclusion and exclusion rule of the protocol, computed "
                             "from the recorded course",
                             "谁符合入组条件及原因：方案的每条纳入和排除标准，依据已记录的病程计算"),
    "cli.help.eligibility.mrn": ("one patient's MRN (default: every patient)", "某一患者的住院号（默认：全部患者）"),
    "cli.help.eligibility.json": ("print the list as JSON (the interchange contract's keys)",
                                  "以JSON输出列表（交换格式约定的键）"),
    "cli.help.eligibility.lang": ("the table's language (as tace-log --lang)", "表格的语言（同tace-log --lang）"),
    "cli.help.key_image": ("attach a key image (a PNG or JPEG DSA frame or cone-beam slice) to an unsigned procedure",
                           "为未签名的手术添加关键图像（PNG或JPEG格式的DSA帧或锥形束CT层面）"),
    "cli.help.key_image.file": ("a PNG or JPEG image", "PNG或JPEG图像"),
    "cli.help.key_image.caption": ("what the image shows, printed under it in the report",
                                   "图像所示内容，印在报告中图像下方"),
    "cli.help.protocol": ("the protocol file in force for the logbook (protocol.json beside it, else the bundled "
                          "one) and a summary of its rules",
                          "日志所用的方案文件（日志旁的protocol.json，否则为内置方案）及其规则摘要"),
    "cli.help.push": ("send the records to the trial's REDCap project through its API (normal mode, in batches; "
                      "--dry-run says what would change)",
                      "通过API将记录发送至试验的REDCap项目（常规模式，分批；--dry-run说明将有哪些更改）"),
    "cli.help.push.redcap": ("the project's API URL, e.g. https://redcap.example.org/api/",
                             "项目的API地址，例如https://redcap.example.org/api/"),
    "cli.help.push.token_file": ("a file holding the project's API token (never typed on the command line)",
                                 "存有项目API令牌的文件（绝不在命令行输入）"),
    "cli.help.push.site": ("put before every record_id (e.g. the site code), so that records of two sites never "
                           "collide", "加在每个record_id前（例如中心代码），使两个中心的记录不会冲突"),
    "cli.help.push.dry_run": ("send nothing: say what a push would add and change",
                              "不发送任何内容：说明推送将新增和更改什么"),
    "cli.help.push.batch": ("patients per request (default 50)", "每次请求的患者数（默认50）"),
    "cli.help.push.deidentify": ("as for export: no name, MRN or birth date", "同导出：不含姓名、住院号和出生日期"),
    "cli.help.push.secret_file": ("with --deidentify: the site secret keying the pseudonyms",
                                  "与--deidentify一起：生成假名所用的站点密钥"),
    "cli.help.push.shift_dates": ("with --deidentify and --secret-file: shifted dates",
                                  "与--deidentify和--secret-file一起：偏移日期"),
    "cli.help.free_text": ("with --deidentify: keep the free-text fields", "与--deidentify一起：保留自由文本字段"),
    "cli.help.push.changed_since": ("only the patients changed after TIMESTAMP", "仅TIMESTAMP之后有更改的患者"),
    "cli.help.import": ("import a tace-log/1 or tace-log/2 JSON file (all or nothing; signatures and addenda only if "
                        "their hashes verify)",
                        "导入tace-log/1或tace-log/2 JSON文件（全部导入或全不导入；签名和补充说明仅在其哈希值验证通过"
                        "时导入）"),
    "cli.help.json_file": ("the JSON file", "JSON文件"),
    "cli.help.export": ("export the whole logbook: tace-log/2 JSON with signatures and addenda (the default), or "
                        "CSV, REDCap or CDISC ODM 1.3.2 (docs/exports.md)",
                        "导出整个日志：含签名和补充说明的tace-log/2 JSON（默认），或CSV、REDCap、CDISC ODM 1.3.2（"
                        "docs/exports.md）"),
    "cli.help.export.format": ("json (default), csv (a folder of files), redcap (a folder: data dictionary, "
                               "repeating forms, records), odm (one XML file); with --package, repeat it to choose "
                               "(default: all)",
                               "json（默认）、csv（一个文件夹的文件）、redcap（一个文件夹：数据字典、重复表单、记录）"
                               "、odm（一个XML文件）；与--package一起时可重复指定以选择（默认：全部）"),
    "cli.help.export.output": ("write to PATH: a file, or a folder for csv and redcap (json: default standard output)",
                               "写至PATH：文件，csv和redcap为文件夹（json默认写至标准输出）"),
    "cli.help.export.package": ("one zip for the trial office (-o FILE.zip): the formats, the signed PDF reports, "
                                "the audit trail and manifest.json; the same logbook gives the same bytes",
                                "为试验办公室生成一个zip（-o FILE.zip）：各格式、已签名的PDF报告、审计记录和"
                                "manifest.json；同一日志生成的字节相同"),
    "cli.help.export.deidentify": ("leave out name, MRN, birth date, free text, the audit trail and signatures; the "
                                   "study ID (or a keyed hash) stands for the patient, ages and days from resection "
                                   "for the dates",
                                   "不含姓名、住院号、出生日期、自由文本、审计记录和签名；以研究编号（或带密钥的哈希"
                                   "值）代表患者，以年龄和距手术天数代替日期"),
    "cli.help.export.secret_file": ("with --deidentify: the site secret (never sent) that keys the patient's "
                                    "pseudonym and the date shift",
                                    "与--deidentify一起：生成患者假名和日期偏移所用的站点密钥（绝不发送）"),
    "cli.help.export.shift_dates": ("with --deidentify and --secret-file: keep dates, each patient's moved by a "
                                    "number of days of their own",
                                    "与--deidentify和--secret-file一起：保留日期，每名患者的日期各自偏移若干天"),
    "cli.help.export.changed_since": ("only the patients with a change after TIMESTAMP by the audit trail, each "
                                      "patient whole (ISO 8601; no zone means local time; a date alone means its "
                                      "midnight), for a re-runnable pooling into the trial's EDC",
                                      "仅按审计记录在TIMESTAMP之后有更改的患者，每名患者完整导出（ISO 8601；不带时区"
                                      "即本地时间；只写日期即当日零时），用于可重复地汇入试验的EDC"),
    "cli.help.validate": ("check a tace-log/1 or /2 JSON file; writes nothing",
                          "检查tace-log/1或/2 JSON文件；不写入任何内容"),
    "cli.help.list": ("list procedures, newest first", "列出手术，最新的在前"),
    "cli.help.list.search": ("name, MRN or study ID contains TEXT", "姓名、住院号或研究编号包含TEXT"),
    "cli.help.list.limit": ("at most this many rows (default 100)", "最多显示的行数（默认100）"),
    "cli.help.show": ("show a procedure or a patient, by id (or a patient by MRN), each signature recomputed; exit 1 "
                      "if one does not verify",
                      "按ID显示手术或患者（或按住院号显示患者），并重新计算每个签名；有签名验证未通过时退出码为1"),
    "cli.help.show.id": ("a procedure id, a patient id or an MRN", "手术ID、患者ID或住院号"),
    "cli.help.delete": ("delete an unsigned procedure (its patient stays); the reason is kept in the audit trail; a "
                        "signed procedure is refused",
                        "删除未签名的手术（其患者保留）；删除原因记入审计记录；已签名的手术不能删除"),
    "cli.help.delete.reason": ("why it is deleted (e.g. entered twice)", "删除原因（例如重复录入）"),
    "cli.help.schema": ("print the JSON Schema of the tace-log/2 format (or of tace-log/1)",
                        "输出tace-log/2格式（或tace-log/1）的JSON Schema"),
    "cli.help.schema.output": ("write to FILE (default: standard output)", "写至FILE（默认：标准输出）"),
    "cli.help.schema.format": ("the format's version (default {format})", "格式版本（默认{format}）"),
    "cli.help.report": ("write the PDF report of a procedure (or of every procedure)",
                        "写出某例手术（或每例手术）的PDF报告"),
    "cli.help.report.procedure_id": ("the procedure's id", "手术ID"),
    "cli.help.report.output": ("where to write the report of PROCEDURE_ID", "PROCEDURE_ID的报告写出位置"),
    "cli.help.report.all": ("one report per procedure, into the folder given by -d",
                            "每例手术一份报告，写入-d指定的文件夹"),
    "cli.help.report.dir": ("with --all: the folder to write into (created if needed)",
                            "与--all一起：写入的文件夹（必要时创建）"),
    "cli.help.report.jobs": ("with --all: processes rendering at once (default: the number of cores)",
                             "与--all一起：同时生成报告的进程数（默认：CPU核数）"),
    "cli.help.user": ("add, list, deactivate or activate the users of this logbook, or change a password",
                      "添加、列出、停用或启用本日志的用户，或更改密码"),
    "cli.help.user.add": ("add a user (the password, {shortest} to {longest} characters, not only spaces, is asked "
                          "for or read from standard input)",
                          "添加用户（密码为{shortest}至{longest}个字符，不能只含空格，通过提示输入或从标准输入读取）"),
    "cli.help.user.add.name": ("the user name (one word)", "用户名（一个词）"),
    "cli.help.user.add.role": ("only a radiologist signs; the first user is an administrator or a radiologist",
                               "只有放射科医师签名；第一个用户为管理员或放射科医师"),
    "cli.help.user.add.full_name": ("the name printed on signatures (default: NAME)", "签名上印出的姓名（默认：NAME）"),
    "cli.help.user.add.by": ("once the logbook has users: an administrator (or, while there is none, a radiologist) "
                             "who allows it; password: prompt or ${env}",
                             "日志已有用户时：允许此操作的管理员（尚无管理员时为放射科医师）；密码：提示输入或${env}"),
    "cli.help.user.list": ("list users and their roles (and who is deactivated or must choose a password)",
                           "列出用户及其角色（以及谁已停用或须设置新密码）"),
    "cli.help.user.by_admin": ("an administrator (or, while there is none, a radiologist); password: prompt or ${env}",
                               "管理员（尚无管理员时为放射科医师）；密码：提示输入或${env}"),
    "cli.help.user.passwd": ("change a user's password: with the current one, or --by whoever may add users (a "
                             "forgotten password); passwords are asked for, or read from standard input one a line",
                             "更改用户的密码：凭当前密码，或由有权添加用户的人用--by更改（忘记密码时）；密码通过提示"
                             "输入，或从标准输入每行读取一个"),
    "cli.help.user.passwd.name": ("the user whose password changes", "要更改密码的用户"),
    "cli.help.user.passwd.by": ("an administrator (or, while there is none, a radiologist) who sets it; password: "
                                "prompt or ${env}",
                                "设置密码的管理员（尚无管理员时为放射科医师）；密码：提示输入或${env}"),
    "cli.help.sign": ("sign a draft procedure (password from a prompt or $TACE_LOG_PASSWORD)",
                      "签署草稿手术（密码来自提示输入或$TACE_LOG_PASSWORD）"),
    "cli.help.signing_radiologist": ("the signing radiologist", "签名的放射科医师"),
    "cli.help.sign.acknowledge_warnings": ("sign although validation warns (the warnings are printed)",
                                           "即使验证有警告也签名（警告会被列出）"),
    "cli.help.addendum": ("add a signed addendum to a signed procedure", "为已签名的手术添加经签名的补充说明"),
    "cli.help.addendum.reason": ("why the addendum is needed", "需要补充说明的原因"),
    "cli.help.addendum.text": ("the addendum itself", "补充说明的内容"),
    "cli.help.entered_in_error": ("mark a signed procedure entered in error (a signed record; the procedure stays as "
                                  "signed and its report says so on every page)",
                                  "将已签名的手术标记为录入错误（一条经签名的记录；手术保持签名时的内容，其报告每页注"
                                  "明录入错误）"),
    "cli.help.entered_in_error.reason": ("why the record is not valid (e.g. wrong patient)",
                                         "记录无效的原因（例如患者错误）"),
    "cli.help.history": ("who changed a patient or procedure, what and when", "谁在何时更改了患者或手术的哪些内容"),
    "cli.help.history.id": ("a procedure or patient id", "手术ID或患者ID"),
    "cli.help.audit": ("check or export the audit trail", "检查或导出审计记录"),
    "cli.help.audit.verify": ("check the hash chain, the heads recorded outside it and the schema, and recompute "
                              "every signature and addendum; exit 1 naming the first broken row, the rows removed, "
                              "each changed trigger, each signed record that does not verify",
                              "检查哈希链、其外部记录的链头和结构，并重新计算每个签名和补充说明；退出码1并指出第一个"
                              "断开的行、被删除的行、每个被更改的触发器、每条验证未通过的签名记录"),
    "cli.help.audit.export": ("write every audit row to a CSV file", "将每条审计记录写入CSV文件"),
    "cli.help.gui": ("open the desktop app on the logbook", "打开桌面程序并载入日志"),
    "cli.help.gui.smoke": ("self-test: open the window on a temporary logbook, save a procedure, exit",
                           "自检：在临时日志上打开窗口，保存一例手术，然后退出"),
    "cli.help.user.deactivate": ("a user who left: they sign in and sign no more (their signatures stay)",
                                 "已离开的用户：不能再登录和签名（其签名保留）"),
    "cli.help.user.activate": ("a deactivated user again", "重新启用已停用的用户"),
    "cli.help.version": ("show program's version number and exit", "显示程序版本号并退出"),
    "cli.help.usage": ("usage: ", "用法："),
    # argparse's own messages (Python 3.11), by their English text as argparse words them (its `_`): % parameters
    "cli.argparse.required": ("the following arguments are required: %s", "缺少以下必需的参数：%s"),
    "cli.argparse.invalid_choice": ("invalid choice: %(value)r (choose from %(choices)s)",
                                    "无效的选择：%(value)r（可选：%(choices)s）"),
    "cli.argparse.unrecognized": ("unrecognized arguments: %s", "无法识别的参数：%s"),
    "cli.argparse.argument": ("argument %(argument_name)s: %(message)s", "参数 %(argument_name)s：%(message)s"),
    "cli.argparse.expected_one": ("expected one argument", "需要一个值"),
    "cli.argparse.expected_at_least_one": ("expected at least one argument", "需要至少一个值"),
    "cli.argparse.invalid_value": ("invalid %(type)s value: %(value)r", "无效的%(type)s值：%(value)r"),
    "cli.argparse.error": ("%(prog)s: error: %(message)s\n", "%(prog)s：出错：%(message)s\n"),
    "cli.argparse.one_of": ("one of the arguments %s is required", "必须给出以下参数之一：%s"),
    "cli.argparse.not_allowed_with": ("not allowed with argument %s", "不能与参数 %s 同时使用"),
    "cli.argparse.ambiguous": ("ambiguous option: %(option)s could match %(matches)s",
                               "选项不明确：%(option)s 可能是 %(matches)s"),
    "cli.help.positionals": ("positional arguments", "位置参数"),
    "cli.help.options": ("options", "选项"),
    "cli.help.help": ("show this help message and exit", "显示此帮助信息并退出"),
    # what the CLI says in place of the app's words (messages.cli_wording): its commands and options, not menus
    "cli.username_taken.inactive": (" (deactivated: tace-log user activate {username})",
                                    "（已停用：tace-log user activate {username}）"),
    "cli.error.deactivated": ("{username} is deactivated: whoever may add users can activate them again (tace-log "
                              "user activate {username} --by NAME)",
                              "{username}已停用：有权添加用户的人可以重新启用（tace-log user activate {username} "
                              "--by NAME）"),
    "cli.error.must_change_password": ("{username}'s password was set by someone else: choose your own first "
                                       "(tace-log user passwd {username})",
                                       "{username}的密码是由他人设置的：请先设置自己的密码（tace-log user passwd "
                                       "{username}）"),
    "cli.error.must_change_password_to": ("{username}'s password was set by someone else: choose your own before you "
                                          "{action} (tace-log user passwd {username})",
                                          "{username}的密码是由他人设置的：{action}前请先设置自己的密码（tace-log user "
                                          "passwd {username}）"),
    "cli.error.no_user": ("no user {username} in this logbook (add one: tace-log user add)",
                          "本日志中没有用户{username}（添加用户：tace-log user add）"),
    "cli.error.backup_unverified": ("{path} was not restored: {problems}. To restore it all the same, say why: "
                                    "tace-log restore FILE --despite REASON",
                                    "{path}未恢复：{problems}。如仍要恢复，请说明原因：tace-log restore FILE --despite "
                                    "REASON"),
    "cli.error.shift_needs_secret": ("shifting dates needs the site secret: --secret-file FILE",
                                     "日期偏移需要站点密钥：--secret-file FILE"),
    "cli.error.no_study_id": ("patient {id} has no study ID to stand for it: give them one, or use a site secret "
                              "(--secret-file FILE)", "患者{id}没有可替代的研究编号：请补充研究编号，或使用站点密钥"
                              "（--secret-file FILE）"),
    "cli.error.json_not_deidentified": ("--deidentify is for csv, redcap and odm: the tace-log/2 JSON is the whole "
                                        "record", "--deidentify仅用于csv、redcap和odm：tace-log/2 JSON是完整记录"),
    "redcap.refused": ("REDCap at {url} refused the request (HTTP {status}): {reason}",
                       "{url}的REDCap拒绝了请求（HTTP {status}）：{reason}"),
    "redcap.unreachable": ("cannot reach REDCap at {url}: {reason}; nothing more was sent",
                           "无法连接{url}的REDCap：{reason}；未再发送任何内容"),
    "redcap.not_json": ("{url} did not answer as a REDCap API does (not JSON): is it the project's API URL?",
                        "{url}的应答不是REDCap API的格式（非JSON）：这是项目的API地址吗？"),
    "redcap.token_file": ("{path}: the REDCap API token must be 32 hexadecimal characters on one line",
                          "{path}：REDCap API令牌必须是一行32位十六进制字符"),
    "export.done": ("exported {patients} patients as {format} to {path}", "已将{patients}名患者导出为{format}：{path}"),
    "export.packaged": ("packaged {files} files ({formats}) to {path}, the data as of {as_of}",
                        "已将{files}个文件（{formats}）打包至{path}，数据截至{as_of}"),
    "export.odm_description": ("TACE Log, exported from {path}", "TACE Log，导出自{path}"),
    "export.signature_legal": ("Signed electronically in TACE Log with the signer's password; the SHA-256 of the "
                               "signed content is in the signature's SourceID",
                               "在TACE Log中以签名人密码进行电子签名；签名内容的SHA-256见签名的SourceID"),
    "error.shift_needs_secret": ("shifting dates needs the site secret: choose the site secret file",
                                 "日期偏移需要站点密钥：请选择站点密钥文件"),
    "error.secret_too_short": ("{path}: a site secret must be at least {length} characters",
                               "{path}：站点密钥至少需要{length}个字符"),
    "error.no_study_id": ("patient {id} has no study ID to stand for it: give them one, or choose a site secret "
                          "file (Site secret, in File > Export)",
                          "患者{id}没有可替代的研究编号：请补充研究编号，或在“文件 > 导出”中选择站点密钥文件"
                          "（“站点密钥”）"),
    "error.json_not_deidentified": ("de-identifying is for CSV, REDCap and ODM: the tace-log/2 JSON is the whole "
                                    "record", "去标识化仅用于CSV、REDCap和ODM：tace-log/2 JSON是完整记录"),
    # -- roles and what a signature means --------------------------------------------------------------------
    "role.radiologist": ("radiologist", "放射科医师"),
    "role.nurse": ("nurse", "护士"),
    "role.admin": ("administrator", "管理员"),
    # -- units the formulary names in words (mg, mL are written the same in both) --------------------------
    "unit.vial": ("vial", "瓶"),
    "frequency.once daily": ("once daily", "每日一次"),  # the protocol file's words for lenvatinib's frequency
    "meaning.reviewed and signed by": ("Reviewed and signed by", "审核并签名"),
    "meaning.addendum written and signed by": ("Addendum written and signed by", "补充说明撰写并签名"),
    "meaning.marked entered in error and signed by": ("Marked entered in error and signed by", "标记为录入错误并签名"),
    "meaning.performed and reviewed by": ("Performed and reviewed by", "执行并审核"),  # signatures made before
    # -- eligibility (tace-log eligibility): the registry record's rules, by the contract's ids ------------------
    "eligibility.INC-HCC-PATHOLOGY": ("pathology shows hepatocellular carcinoma", "病理诊断为肝细胞癌"),
    "eligibility.INC-HIGH-RISK": ("high risk of recurrence: any of A, B, C", "复发高危：满足A、B、C任一项"),
    "eligibility.high_risk.A": ("A: MVI {mvi} with {count} tumours, a tumour {size} cm, or an unclear margin without "
                                "a complete capsule",
                                "A：微血管侵犯{mvi}，且肿瘤数目{count}个、肿瘤直径{size} cm或肿瘤边界不清且包膜不完整"),
    "eligibility.high_risk.B": ("B: tumour thrombus in the portal vein, a hepatic vein or a bile duct",
                                "B：门静脉、肝静脉或胆管癌栓"),
    "eligibility.high_risk.C": ("C: preoperative rupture or invasion of adjacent organs", "C：术前破裂或侵犯邻近器官"),
    "eligibility.INC-AGE": ("age {low}-{high} years at consent", "知情同意时年龄{low}-{high}岁"),
    "eligibility.INC-ASA": ("ASA class {max} or lower", "ASA分级不高于{max}级"),
    "eligibility.INC-CHILD-PUGH-A": ("Child-Pugh class {cls}", "Child-Pugh {cls}级"),
    "eligibility.lab_max": ("{test} at most {limit}{unit}", "{test}不超过{limit}{unit}"),
    "eligibility.lab_min": ("{test} at least {limit}{unit}", "{test}不低于{limit}{unit}"),
    "eligibility.lab_uln": ("{test} at most {times} times its upper limit of normal",
                            "{test}不超过正常值上限的{times}倍"),
    "eligibility.INC-ECOG": ("ECOG {max} or lower", "ECOG评分不高于{max}分"),
    "eligibility.INC-TX-HISTORY": ("no lenvatinib before, no allergy to sorafenib", "既往未用仑伐替尼，无索拉非尼过敏"),
    "eligibility.EXC-R1-R2-OR-PALLIATIVE": ("an R0, curative resection (not R1/R2, not palliative)",
                                            "R0根治性切除（非R1/R2切除，非姑息性切除）"),
    "eligibility.EXC-PREGNANT-OR-LACTATING": ("not pregnant or lactating", "非妊娠或哺乳期"),
    "eligibility.EXC-OTHER-MALIGNANCY": ("no other malignancy", "无其他恶性肿瘤"),
    "eligibility.EXC-MENTAL-ILLNESS": ("no mental illness", "无精神疾病"),
    "eligibility.EXC-OTHER-TRIAL-WITHIN-3-MONTHS": ("no other clinical trial in the last 3 months",
                                                    "近3个月内未参加其他临床试验"),
    "eligibility.EXC-PROHIBITED-POSTOP-THERAPY": ("no prohibited postoperative therapy (other targeted drugs, PD-1 "
                                                  "antibodies or other immunotherapy, FOLFOX, Huaier granule)",
                                                  "术后未接受禁用治疗（其他靶向药物、PD-1抗体或其他免疫治疗、FOLFOX、"
                                                  "槐耳颗粒）"),
    "eligibility.passes": ("passes", "符合"),
    "eligibility.fails": ("fails", "不符合"),
    "eligibility.unknown": ("unknown", "未知"),
    "eligibility.eligible": ("eligible", "符合入组条件"),
    "eligibility.not_eligible": ("not eligible", "不符合入组条件"),
    "eligibility.undecided": ("unknown: inputs missing", "未定：缺少数据"),
    "eligibility.missing": ("missing: {paths}", "缺少：{paths}"),
    "eligibility.column.mrn": ("MRN", "住院号"),
    "eligibility.column.verdict": ("Eligibility", "入组资格"),
    "eligibility.column.age": ("Age", "年龄"),
    "eligibility.column.child_pugh": ("Child-Pugh", "Child-Pugh分级"),
    "eligibility.column.albi": ("ALBI", "ALBI分级"),
    "eligibility.column.failed": ("Failed rules", "不符合的标准"),
    "eligibility.column.missing": ("Missing inputs", "缺少的数据"),
    "eligibility.summary": ("{total} patients: {eligible} eligible, {not_eligible} not eligible, {unknown} unknown",
                            "共{total}位患者：符合{eligible}位，不符合{not_eligible}位，未定{unknown}位"),
    # -- derived values: their labels ------------------------------------------------------------------------
    "derived.age": ("Age (years)", "年龄（岁）"),
    "derived.days_after_resection": ("Days after resection", "术后天数"),
    # -- the report's own words (its structure, not clinical fields) -----------------------------------------
    "report.title": ("TACE procedure report", "TACE手术记录"),
    "report.draft": ("DRAFT – not signed", "草稿 – 未签名"),
    "report.signed_status": ("Signed by {signer}, {at}", "已签名：{signer}，{at}"),
    "report.agents": ("Agents and doses", "药物与剂量"),
    "report.complications": ("Complications", "并发症"),
    "report.none_recorded": ("None recorded.", "无记录。"),
    "report.signature": ("Signature", "签名"),
    "report.performed_by": ("Performed by", "执行"),
    "report.signed_at": ("Signed at", "签名时间"),
    "report.content_sha256": ("Content SHA-256", "内容SHA-256"),
    "report.draft_note": ("This report has not been signed.", "本报告尚未签名。"),
    "report.not_verified": ("THIS SIGNATURE DOES NOT VERIFY", "此签名验证失败"),
    "report.not_verified_status": ("SIGNATURE DOES NOT VERIFY: {signer}, {at}", "签名验证失败：{signer}，{at}"),
    "report.signed_elsewhere": ("Signed elsewhere: in another logbook, by a signer who is not a user of this one.",
                                "在其他日志中签名：签名人不是本日志的用户。"),
    "report.covers_fewer": ("This signature was made before TACE Log kept what was signed: it covers the procedure "
                            "and the patient's id, MRN, name, sex and birth date; the patient's other values are as "
                            "recorded now.",
                            "此签名早于TACE Log保存签名内容：仅涵盖手术及患者的ID、住院号、姓名、性别和"
                            "出生日期；患者的其他信息为当前记录。"),
    "report.changed_since": ("Changed since signing: {changes}", "签名后已更改：{changes}"),
    "report.addendum": ("Addendum {number}", "补充说明 {number}"),
    "report.addendum_note": ("Added after the report above; the original content is unchanged.",
                             "在上述报告之后添加；原报告内容未改变。"),
    "report.entered_in_error_mark": ("ENTERED IN ERROR – NOT VALID", "录入错误 – 本记录无效"),
    "report.entered_in_error": ("Entered in error", "录入错误"),
    "report.entered_in_error_note": ("This signed record was marked entered in error: it is kept unchanged for the "
                                     "record and must not be used for care.",
                                     "本已签名记录已被标记为录入错误：原记录保持不变以备查，不得用于诊疗。"),
    "report.dose_follow_up": ("Above the SIR/NCRP threshold for radiation follow-up: {doses}. Arrange a skin "
                              "check.",
                              "超过SIR/NCRP辐射随访阈值：{doses}。请安排皮肤检查随访。"),
    "report.dose_above": ("{field:lower} {value} (threshold {threshold})", "{field}{value}（阈值{threshold}）"),
    "report.author": ("Author", "作者"),
    "report.written_at": ("Written at", "时间"),
    "report.page": ("Page {page} of {pages}", "第{page}页，共{pages}页"),
    "report.record": ("Record {id}", "记录 {id}"),
    "report.signer": ("{name} ({username})", "{name}（{username}）"),
    "report.signer_role": ("{name}, {role} ({username})", "{name}，{role}（{username}）"),
    # -- the Kaplan–Meier figure's words (reports/survival_figure.py): the endpoints, its axis, its legend -------
    # -- a radiation dose structured report read in (rdsr.py) -------------------------------------------------
    "dose.not_dicom": ("{path} is not a DICOM file: {reason}", "{path}不是DICOM文件：{reason}"),
    "dose.not_dose_report": ("{path} is not an X-ray radiation dose report (SOP class {kind}): export the dose "
                             "report (RDSR) from the X-ray system",
                             "{path}不是X线辐射剂量报告（SOP类{kind}）：请从X线设备导出剂量报告（RDSR）"),
    "dose.no_totals": ("{path} has no accumulated dose data: nothing to read",
                       "{path}没有累积剂量数据：无可读取内容"),
    "dose.unit": ("{path}: the unit {unit} of {value} is not one TACE Log knows",
                  "{path}：{value}的单位{unit}无法识别"),
    "dose.other_procedure": ("{path} may be another patient's or another day's dose report: {differences}",
                             "{path}可能是其他患者或其他日期的剂量报告：{differences}"),
    "dose.patient_id": ("patient ID {file_id} (this patient's MRN: {mrn})", "患者ID {file_id}（本患者住院号：{mrn}）"),
    "dose.study_date": ("study date {file_date} (this procedure: {date})", "检查日期{file_date}（本次手术：{date}）"),
    # -- a key image attached to a procedure (key_images.py, storage/key_images.py) ---------------------------
    "key_image.too_large": ("{name} is {size} MB: a key image may be at most {limit} MB (Tools > Settings)",
                            "{name}大小为{size} MB：关键图像最大为{limit} MB（工具 > 设置）"),
    "key_image.dicom": ("{name} is a DICOM file: DICOM key images are not taken yet; export the frame from the "
                        "workstation as PNG or JPEG",
                        "{name}是DICOM文件：暂不支持DICOM关键图像，请在工作站将该帧导出为PNG或JPEG"),
    "key_image.not_image": ("{name} is not a PNG or JPEG image", "{name}不是PNG或JPEG图像"),
    "key_image.damaged": ("{name} is a damaged image and cannot be read: {reason}",
                          "{name}图像已损坏，无法读取：{reason}"),
    "key_image.missing": ("the image {sha256:.12} is not in this logbook: attach the file again",
                          "本日志中没有图像{sha256:.12}：请重新添加该文件"),
    "key_image.media_type": ("the image is a {found} file", "该图像是{found}文件"),
    "key_image.changed": ("key image {number}'s bytes no longer match its SHA-256: the image was changed in the file",
                          "关键图像{number}的内容与其SHA-256不符：文件中的图像已被改动"),
    "key_image.file_hash": ("the file's bytes do not match the SHA-256 {sha256:.12} it is listed under",
                            "文件内容与其列出的SHA-256 {sha256:.12}不符"),
    "key_image.unreferenced": ("no key image of the document refers to it", "文档中没有关键图像引用该文件"),
    "type.key_image_files": ("must be an object: each image's SHA-256 and its bytes in base64",
                             "必须是对象：每个图像的SHA-256及其base64编码内容"),
    "type.base64": ("must be the file's bytes in base64", "必须是base64编码的文件内容"),
    "report.key_images": ("Key images", "关键图像"),
    "report.key_image": ("Image {number}", "图{number}"),
    "report.key_image_unavailable": ("Image not printed: its bytes in the logbook are not the ones the record names",
                                     "图像未打印：日志中的图像内容与记录不符"),
    "liver_map.stained": ("Stained segments", "染色肝段"),
    "liver_map.treated": ("Treated (by the target vessels)", "治疗肝段（按靶血管）"),
    # -- the study report (reports/study.py) ----------------------------------------------------------------
    "study.title": ("Study report — {study}", "研究报告 — {study}"),
    "study.cutoff": ("Data cutoff: {date}", "数据截止日期：{date}"),
    "study.protocol": ("Protocol in force: {protocol}", "执行的研究方案：{protocol}"),
    "study.logbook": ("From the logbook {name} (TACE Log {version})", "来自日志{name}（TACE Log {version}）"),
    "study.newest": ("Data as of its newest change: {stamp}", "数据截至最近一次更改：{stamp}"),
    "study.footer": ("{study} · data cutoff {cutoff}", "{study} · 数据截止 {cutoff}"),
    "study.flow": ("Study flow", "研究流程"),
    "study.flow.assessed": ("Assessed for eligibility: {n}", "评估合格性：{n}"),
    "study.flow.excluded": ("Not enrolled: {n}", "未入组：{n}"),
    "study.flow.enrolled": ("enrolled: {n}", "入组：{n}"),
    "study.flow.discontinued": ("Lenvatinib discontinued: {reasons}", "仑伐替尼停药：{reasons}"),
    "study.flow.lost_withdrawn": ("Lost to follow-up: {lost} · withdrawn: {withdrawn} · analysed: {analysed}",
                                  "失访：{lost} · 退出：{withdrawn} · 纳入分析：{analysed}"),
    "study.flow.reason": ("Reason not enrolled", "未入组原因"),
    "study.pending": ("decision pending", "待定"),
    "study.baseline": ("Baseline characteristics by arm", "各组基线特征"),
    "study.characteristic": ("Characteristic", "特征"),
    "study.age": ("Age at consent, years: median (IQR)", "知情同意时年龄（岁）：中位数（四分位距）"),
    "study.male": ("Male", "男性"),
    "study.child_pugh": ("Child-Pugh class {cls}", "Child-Pugh {cls}级"),
    "study.albi": ("ALBI grade {grade}", "ALBI {grade}级"),
    "study.km_rfs": ("Recurrence-free survival", "无复发生存"),
    "study.km_os": ("Overall survival", "总生存"),
    "study.arm": ("Arm", "分组"),
    "study.events": ("Events", "事件数"),
    "study.median": ("Median, months (95% CI)", "中位时间，月（95% CI）"),
    "study.logrank": ("Log-rank chi-square {chi2} on {df} df, p = {p}", "Log-rank检验 卡方{chi2}，自由度{df}，P = {p}"),
    "study.adverse_events": ("Adverse events by CTCAE term and worst grade (patients)",
                             "按CTCAE术语和最高分级统计的不良事件（例数）"),
    "study.term": ("CTCAE term", "CTCAE术语"),
    "study.none": ("None recorded.", "无记录。"),
    "study.lenvatinib": ("Lenvatinib: dose reductions and discontinuations", "仑伐替尼：减量与停药"),
    "study.reduced": ("Patients with a dose reduction", "减量例数"),
    "study.discontinued": ("Discontinued, by reason: {reasons}", "停药原因：{reasons}"),
    "survival.endpoint.rfs": ("Recurrence-free survival", "无复发生存"),
    "survival.endpoint.os": ("Overall survival", "总生存"),
    "survival.endpoint.ttr": ("Freedom from recurrence (time to recurrence)", "无复发比例（至复发时间）"),
    "survival.months": ("Months", "月"),
    "survival.unassigned": ("arm not recorded", "未记录分组"),
    "survival.at_risk": ("Number at risk", "风险人数"),
    "survival.censored": ("Censored", "删失"),
    "survival.logrank_p": ("Log-rank p {p}", "Log-rank检验 P {p}"),
}


class Message:
    """A text to render later, in a language: a catalogue key and its parameters. `str()` is the English."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: Any):
        self.key, self.params = key, params

    def text(self, language: str = EN) -> str:
        return render(self.key, language, **self.params)

    def label(self, language: str = EN) -> str:  # a parameter of another message
        return self.text(language)

    def __str__(self) -> str:
        return self.text(EN)

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


class Worded:
    """A parameter with its own English and Chinese (a field's key as written in English, its label in Chinese)."""

    __slots__ = ("en", "zh")

    def __init__(self, en: str, zh: str):
        self.en, self.zh = en, zh

    def label(self, language: str = EN) -> str:
        return self.zh if language == ZH else self.en


class Shown:
    """A stored value of a dictionary field as a person reads it in the language (`Field.display`)."""

    __slots__ = ("field", "value")

    def __init__(self, field: Any, value: Any):
        self.field, self.value = field, value

    def label(self, language: str = EN) -> str:
        try:
            return str(self.field.display(self.value, language))
        except KeyError:  # not one of the field's choices: as written
            return str(self.value)


class Listing:
    """Several parameters as one: 'a, b' or 'a or b' in English, 'a、b' or 'a或b' in Chinese."""

    __slots__ = ("items", "either")

    def __init__(self, items: Iterable[Any], either: bool = False):
        self.items, self.either = tuple(items), either

    def label(self, language: str = EN) -> str:
        words = [_value(item, language) for item in self.items]
        if language == ZH:
            return ("或" if self.either else "、").join(words)
        return (" or " if self.either else ", ").join(words)


def _value(value: Any, language: str) -> str:
    label = getattr(value, "label", None)
    return str(label(language)) if callable(label) else str(value)


class _Formatter(string.Formatter):
    """`{name}` renders a parameter in the language; `{name:lower}` lower-cases it (an English label mid-sentence)."""

    def __init__(self, language: str):
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        text = _value(value, self.language)
        return text.lower() if format_spec == "lower" else format(text, format_spec)


_CLI_WORDING: ContextVar[bool] = ContextVar("cli_wording", default=False)


@contextmanager
def cli_wording() -> Iterator[None]:
    """While the CLI runs one of its commands: an entry with a `cli.KEY` beside it is said in that one's words
    (the same parameters), so one message the core raises names the app's menu there and the command here."""
    token = _CLI_WORDING.set(True)
    try:
        yield
    finally:
        _CLI_WORDING.reset(token)


def render(key: str, language: str = EN, /, **params: Any) -> str:
    """The catalogue's text for `key` in `language` ('zh' or English), its parameters filled in."""
    if _CLI_WORDING.get():
        key = f"cli.{key}" if f"cli.{key}" in CATALOGUE else key
    en, zh = CATALOGUE[key]
    return _Formatter(language).format(zh if language == ZH else en, **params)


def worded(key: str, language: str, stored: str) -> str:
    """A word the core stores in English (a role, a signature's meaning, a unit) in the language, when the
    catalogue has it (`role.radiologist`, `unit.vial`); else as stored."""
    return render(key, language) if key in CATALOGUE else stored


def parameters(template: str) -> set[str]:
    """The names of the parameters a template fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
