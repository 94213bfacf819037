"""The data dictionary: every clinical field TACE Log records, defined once.

The form, validation, the report labels, the interchange format and its JSON Schema, and the storage mapping
all read these definitions, so a field is added or changed here and nowhere else (REDCap's data dictionary is
the model). Limits here are plausibility checks for typing slips and unit errors (clinical-reference §2-3);
agent limits live in the formulary and protocol limits in the protocol file, both site-adjustable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any


class FieldType(StrEnum):
    TEXT = "text"  # one line: a name, a vessel, a catheter
    LONG_TEXT = "long_text"  # narrative: findings, impression
    DATE = "date"
    TIME = "time"  # 'HH:MM', the workstation's local time on the record's date (a procedure's start and end)
    INT = "int"
    NUMBER = "number"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"  # a set of choices, stored one row per choice
    DATES = "dates"  # a list of dates (the attempts to reach a patient), stored one row per date
    BOOL = "bool"


LISTED = frozenset({FieldType.MULTI_CHOICE, FieldType.DATES})  # list-valued: a table of rows, one per value


# The longest a text value may be, in characters: one line is a name or a vessel, not a paragraph (and still one
# row of the report); a narrative about ten pages. Sane bounds that no real entry meets, against pasted text.
MAX_LENGTH = {FieldType.TEXT: 200, FieldType.LONG_TEXT: 30_000}


class Bilingual:
    """Named in English and Chinese; the UI language picks one."""

    en: str
    zh: str

    def label(self, language: str = "en") -> str:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class Words(Bilingual):
    """A phrase in English and Chinese (a field's help), rendered in a message's language like a label."""

    en: str
    zh: str


@dataclass(frozen=True)
class Choice(Bilingual):
    """One allowed value of a choice field: its stored key and its English and Chinese labels."""

    key: str
    en: str
    zh: str


def recorded(value: Any) -> bool:
    """Whether a field holds a value: not None, not an empty text, not an empty list (0 and False are values)."""
    return value not in (None, "", [])


@dataclass(frozen=True)
class Field(Bilingual):
    """One clinical field: its key, labels, type, unit, choices and plausibility limits."""

    key: str
    en: str
    zh: str
    type: FieldType
    unit: str | None = None
    choices: tuple[Choice, ...] = ()
    required: bool = False  # required in every record (interchange "required")
    required_to_sign: bool = False  # may be blank in a draft, needed before signing
    reject_min: float | None = None  # below is an error
    reject_max: float | None = None  # above is an error
    warn_min: float | None = None  # below is a warning
    warn_max: float | None = None  # above is a warning
    # A radiation dose above which the patient is followed up for skin injury (SIR's "substantial radiation dose
    # level", Stecker et al., JVIR 2009; NCRP Report 168): a warning on the form, a marked line on the report.
    follow_up_above: float | None = None
    # Names a record (MRN, study ID, lot): stored in Unicode NFC and refused with an invisible or control
    # character in it, so two look-alike spellings are never two patients.
    identifier: bool = False
    # Names the person (name, MRN, birth date): marked an identifier in REDCap, left out of a de-identified export.
    personal: bool = False
    # Typed in words, not coded (a note, a narrative, who operated): left out of a de-identified export unless
    # asked for, since anything can be written in it. Narrative (long text) always is.
    free_text: bool = False
    help: str = ""
    help_zh: str = ""  # the help in Chinese (`hint`)
    # The most characters a value may have: by default, MAX_LENGTH of its type (text fields only). Above it is an
    # error for new input; a stored longer value still exports and prints.
    max_length: int | None = None
    # Recorded only when another field of the record has one of these values, e.g. segments when a stain is seen:
    # a value given otherwise is an error for new input (validation), and the form clears it when the other
    # field changes.
    applies_when: tuple[str, tuple[Any, ...]] | None = None
    # Where the choices come from when the dictionary does not fix them: a site file's list, named
    # "<file>.<list>" ("formulary.agents", "protocol.arms"), resolved in one place (`choice_lists.ChoiceLists`).
    choices_from: str | None = None
    # The only values a number may take (a lenvatinib dose: 12, 8 or 4 mg).
    values: tuple[int, ...] = ()
    since: int = 1  # the interchange format version that first carries it (tace-log/2: 2)
    # Values a choice field refuses with a reason of their own (a message key), rather than as merely not one of
    # the choices: lenvatinib "bid" (twice a day is not an HCC dose).
    refused: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        if self.max_length is None and self.type in MAX_LENGTH:
            object.__setattr__(self, "max_length", MAX_LENGTH[self.type])
        if self.type is FieldType.LONG_TEXT:
            object.__setattr__(self, "free_text", True)

    @property
    def listed(self) -> bool:
        """Its value is a list (multi-choice, dates), stored in a table of its own (`Entity.multi_tables`)."""
        return self.type in LISTED

    def needs_follow_up(self, value: Any) -> bool:
        """Whether a recorded dose is above its follow-up threshold (at it is not)."""
        return self.follow_up_above is not None and isinstance(value, (int, float)) \
            and not isinstance(value, bool) and value > self.follow_up_above

    @property
    def hint(self) -> Words:
        """The help in both languages: what the form's placeholder and tooltip, and a finding's hint, say."""
        return Words(self.help, self.help_zh or self.help)

    @cached_property  # read for every value validated
    def choice_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.choices)

    def choice(self, key: str) -> Choice:
        for c in self.choices:
            if c.key == key:
                return c
        raise KeyError(f"{self.key}: no choice {key!r}")

    def display(self, value, language: str = "en") -> str:
        """A stored value as a person reads it: choice labels, units, 'yes/no'."""
        if value is None or value == "" or value == []:
            return ""
        if self.type is FieldType.CHOICE and self.choices:
            return self.choice(value).label(language)
        if self.type is FieldType.MULTI_CHOICE:
            return ("、" if language == "zh" else ", ").join(self.choice(v).label(language) for v in value)
        if self.type is FieldType.DATES:
            return ", ".join(v.isoformat() for v in value)
        if self.type is FieldType.BOOL:
            return ("是" if value else "否") if language == "zh" else ("yes" if value else "no")
        if self.type is FieldType.NUMBER:
            text = f"{value:g}"
        else:
            text = str(value)
        return f"{text} {self.unit}" if self.unit else text


ONE, MANY = "one", "many"  # how many records of an entity a parent has


@dataclass(frozen=True)
class MultiTable:
    """Where a list-valued field (multi-choice, dates) is stored: a table of (owner, value) rows, one per value."""

    table: str
    owner: str  # the column holding the owning record's id
    value: str  # the column holding one chosen key


@dataclass(frozen=True, eq=False)  # an entity is itself: compared by identity, hashable
class Entity(Bilingual):
    """A group of fields stored together (patient, pathology, procedure, agent, complication), and how: its
    parent, how many a parent has, its key in the parent's document, its table or the prefix of its columns in
    the parent's table, the tables of its multi-choice fields. The model, storage, interchange, the JSON Schema,
    the CLI and the form walk these declarations (docs/adding-an-entity.md)."""

    key: str
    en: str
    zh: str
    fields: tuple[Field, ...]
    parent: str | None = None  # the parent entity's key; None for the root (patient)
    cardinality: str = ONE  # ONE (pathology: one per patient) or MANY (agents: a list per procedure)
    document_key: str = ""  # its key in the parent's document ("agents"); the root's: the document's list
    table: str | None = None  # its own table; None: columns of the parent's table, named `column_prefix` + key
    column_prefix: str = ""
    multi_tables: Mapping[str, MultiTable] = field(default_factory=dict)  # by multi-choice field key
    positioned: bool = False  # its rows keep their order in a `position` column (a list's order matters)
    own_id: bool = False  # its records carry their own id (in documents too); else each row gets a new one
    # Saved and read on its own (a procedure: signed alone), not as a part of its parent's record.
    standalone: bool = False
    # One per parent at most, and none until recorded (a recurrence, a death): None in its parent's record and
    # `null` in documents, rather than a record of blanks (a pathology). Only for an entity with a table.
    optional: bool = False
    since: int = 1  # the interchange format version that first carries it (the course: tace-log/2)
    # Attributes its records keep beside the fields, stored in columns of the same name: (name, default).
    bookkeeping: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self):
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{self.key}: a field is defined twice")
        multi = {f.key for f in self.fields if f.listed}
        if set(self.multi_tables) != multi:
            raise ValueError(f"{self.key}: each list-valued field needs its table ({', '.join(sorted(multi))})")
        if self.optional and (self.cardinality == MANY or self.table is None):
            raise ValueError(f"{self.key}: only one record with a table of its own can be optional")
        if self.parent is not None and not self.document_key:
            raise ValueError(f"{self.key}: a child needs its key in the parent's document")
        if self.table is None and self.cardinality == MANY:
            raise ValueError(f"{self.key}: only one record per parent can live in the parent's table")

    def __getitem__(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(f"{self.key} has no field {key!r}")

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @cached_property
    def key_set(self) -> frozenset[str]:
        return frozenset(self.keys)

    @property
    def many(self) -> bool:
        return self.cardinality == MANY


def _choices(*triples: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(*t) for t in triples)


F = FieldType

COUINAUD_SEGMENTS = _choices(
    ("I", "I", "I段"), ("II", "II", "II段"), ("III", "III", "III段"), ("IVa", "IVa", "IVa段"),
    ("IVb", "IVb", "IVb段"), ("V", "V", "V段"), ("VI", "VI", "VI段"), ("VII", "VII", "VII段"),
    ("VIII", "VIII", "VIII段"),
)

_STAMPS = (("created_at", None), ("updated_at", None))  # when a record was first and last written

PATHOLOGY = Entity("pathology", "Pathology", "病理", (
    Field("mvi", "Microvascular invasion", "微血管侵犯", F.CHOICE,
          choices=_choices(("M0", "M0", "M0"), ("M1", "M1", "M1"), ("M2", "M2", "M2"))),
    Field("tumor_count", "Tumour number", "肿瘤数目", F.INT, reject_min=1, reject_max=50),
    Field("max_diameter_cm", "Maximum tumour diameter", "最大肿瘤直径", F.NUMBER, unit="cm",
          reject_min=0.1, reject_max=40),
    Field("capsule", "Capsule", "包膜", F.CHOICE, choices=_choices(
        ("complete", "complete", "完整"), ("incomplete", "incomplete", "不完整"), ("absent", "absent", "无"))),
    Field("margin_clear", "Tumour margin clear", "肿瘤边界清楚", F.BOOL),
    Field("thrombus", "Tumour thrombus", "癌栓", F.MULTI_CHOICE, choices=_choices(
        ("portal_vein", "portal vein", "门静脉"), ("hepatic_vein", "hepatic vein", "肝静脉"),
        ("bile_duct", "bile duct", "胆管"))),
    Field("rupture", "Preoperative rupture", "术前破裂", F.BOOL),
    Field("adjacent_invasion", "Invasion of adjacent organs", "侵犯邻近器官", F.BOOL),
    Field("hcc_confirmed", "HCC confirmed by pathology", "病理确诊肝细胞癌", F.BOOL, since=2),
), parent="patient", document_key="pathology", column_prefix="pathology_",
    multi_tables={"thrombus": MultiTable("patient_thrombus", "patient_id", "site")})

PATIENT = Entity("patient", "Patient", "患者", (
    Field("mrn", "MRN", "住院号", F.TEXT, personal=True, required=True, identifier=True,
          help="Hospital medical record number",
          help_zh="医院住院号（病案号）"),
    Field("name", "Name", "姓名", F.TEXT, personal=True, required=True),
    Field("sex", "Sex", "性别", F.CHOICE, choices=_choices(("M", "male", "男"), ("F", "female", "女"))),
    Field("birth_date", "Birth date", "出生日期", F.DATE, personal=True),
    Field("weight_kg", "Weight", "体重", F.NUMBER, unit="kg", reject_min=30, reject_max=200),
    Field("height_cm", "Height", "身高", F.NUMBER, unit="cm", reject_min=100, reject_max=230),
    Field("arm", "Study arm", "研究分组", F.CHOICE, help="An arm of the active protocol",
          help_zh="当前研究方案中的分组", choices_from="protocol.arms"),
    Field("study_id", "Study ID", "研究编号", F.TEXT, identifier=True),
    Field("resection_date", "Resection date", "肝切除日期", F.DATE),
    Field("resection_margin", "Resection margin", "切缘", F.CHOICE,
          choices=_choices(("R0", "R0", "R0"), ("R1", "R1", "R1"), ("R2", "R2", "R2"))),
), document_key="patients", table="patients", own_id=True, bookkeeping=_STAMPS)

AGENT = Entity("agent", "Agent", "药物/栓塞剂", (
    Field("agent", "Agent", "药物", F.CHOICE, required=True, help="A formulary agent",
          help_zh="药品目录中的药物", choices_from="formulary.agents"),
    Field("dose", "Dose", "剂量", F.NUMBER, required=True),
    Field("unit", "Unit", "单位", F.TEXT, required=True),
    Field("particle_min_um", "Particle size from", "颗粒最小直径", F.NUMBER, unit="µm"),
    Field("particle_max_um", "Particle size to", "颗粒最大直径", F.NUMBER, unit="µm"),
    Field("lot", "Lot", "批号", F.TEXT, identifier=True),
), parent="procedure", cardinality=MANY, document_key="agents", table="agent_doses", positioned=True)

COMPLICATION = Entity("complication", "Complication", "并发症", (
    Field("term", "Term", "并发症名称", F.TEXT, required=True, help="CTCAE v5 term", help_zh="CTCAE v5 术语"),
    Field("ctcae_grade", "CTCAE grade", "CTCAE分级", F.INT, reject_min=1, reject_max=5),
    Field("sir_class", "SIR class", "SIR分级", F.CHOICE, choices=_choices(
        ("mild", "mild", "轻度"), ("moderate", "moderate", "中度"), ("severe", "severe", "重度"),
        ("life_threatening", "life-threatening", "危及生命"), ("death", "death", "死亡"))),
    Field("management", "Management", "处理", F.TEXT, free_text=True),
), parent="procedure", cardinality=MANY, document_key="complications", table="complications", positioned=True)

MEDICATION = Entity("medication", "Other drug", "其他用药", (
    Field("drug", "Drug", "药物", F.TEXT, required=True, help="e.g. lidocaine, ondansetron",
          help_zh="例如 利多卡因、昂丹司琼"),
    Field("dose", "Dose", "剂量", F.NUMBER, reject_min=0),
    Field("unit", "Unit", "单位", F.TEXT, help="e.g. mg, mL", help_zh="例如 mg、mL"),
    Field("route", "Route", "给药途径", F.CHOICE, choices=_choices(
        ("local", "local infiltration", "局部浸润"), ("iv", "intravenous", "静脉"), ("im", "intramuscular", "肌内"),
        ("intra_arterial", "intra-arterial", "动脉内"), ("oral", "oral", "口服"), ("sc", "subcutaneous", "皮下"))),
), parent="procedure", cardinality=MANY, document_key="medications", table="procedure_medications",
    positioned=True, since=2)

# A key image's bytes are kept once in the logbook by their SHA-256 (storage/key_images.py); the record names them
# by it, so what a signature covers includes every image's hash (docs/key-images.md).
KEY_IMAGE = Entity("key_image", "Key image", "关键图像", (
    Field("caption", "Caption", "图注", F.TEXT, free_text=True,
          help="e.g. tumour stain in segment VI, arterial phase", help_zh="例如 动脉期VI段肿瘤染色"),
    Field("media_type", "Image type", "图像格式", F.CHOICE, required=True,
          choices=_choices(("png", "PNG", "PNG"), ("jpeg", "JPEG", "JPEG"))),
    Field("sha256", "Image SHA-256", "图像SHA-256", F.TEXT, required=True),
), parent="procedure", cardinality=MANY, document_key="key_images", table="key_images", positioned=True, since=2)

STAIN_SEEN = ("tumor_staining", ("present", "equivocal"))  # segments and lesions are recorded for a stain

PROCEDURE = Entity("procedure", "Procedure", "手术", (
    Field("date", "Procedure date", "手术日期", F.DATE, required=True),
    Field("cycle", "Cycle", "周期", F.INT, reject_min=1, reject_max=10),
    Field("intent", "Intent", "治疗目的", F.CHOICE, since=2,
          help="Adjuvant unless it treats a recurrence", help_zh="除非用于治疗复发，均为辅助治疗",
          choices=_choices(
        ("adjuvant", "adjuvant", "辅助治疗"),
        ("therapeutic_for_recurrence", "therapeutic, for recurrence", "针对复发的治疗（非辅助周期）"))),
    Field("start_time", "Start time", "开始时间", F.TIME, since=2, help="HH:MM, local time", help_zh="时:分，当地时间"),
    Field("end_time", "End time", "结束时间", F.TIME, since=2, help="HH:MM, local time", help_zh="时:分，当地时间"),
    Field("procedure_name", "Procedure name", "手术名称", F.TEXT, free_text=True, since=2,
          help="e.g. hepatic angiography with superselective TACE",
          help_zh="例如 肝动脉造影+超选择性TACE"),
    Field("indication", "Indication", "适应证", F.TEXT, free_text=True, since=2,
          help="e.g. adjuvant TACE one month after resection",
          help_zh="例如 肝切除术后1个月辅助TACE"),
    Field("pre_diagnosis", "Pre-procedure diagnosis", "术前诊断", F.TEXT, free_text=True, since=2),
    Field("operator", "Operator", "术者", F.TEXT, free_text=True, required_to_sign=True),
    Field("assistants", "Assistants", "助手", F.TEXT, free_text=True, since=2),
    Field("consent_obtained", "Consent obtained", "已签署知情同意书", F.BOOL, since=2),
    Field("time_out_done", "Time-out done", "已执行术前核查（Time-out）", F.BOOL, since=2),
    Field("anaesthesia", "Anaesthesia", "麻醉方式", F.CHOICE, since=2, choices=_choices(
        ("local", "local", "局部麻醉"), ("conscious_sedation", "conscious sedation", "清醒镇静"),
        ("general", "general", "全身麻醉"))),
    Field("access_site", "Access site", "穿刺入路", F.CHOICE, choices=_choices(
        ("right_femoral", "right femoral", "右股动脉"), ("left_femoral", "left femoral", "左股动脉"),
        ("right_radial", "right radial", "右桡动脉"), ("left_radial", "left radial", "左桡动脉"),
        ("brachial", "brachial", "肱动脉"))),
    Field("sheath_fr", "Sheath", "血管鞘", F.NUMBER, unit="Fr", reject_min=3, reject_max=12, since=2),
    Field("base_catheter", "Base catheter", "造影导管", F.TEXT, free_text=True, since=2, help="e.g. RH 5F",
          help_zh="例如 RH 5F"),
    Field("microcatheter", "Microcatheter", "微导管", F.TEXT, free_text=True, help="e.g. Progreat 2.7F",
          help_zh="例如 Progreat 2.7F"),
    Field("closure", "Closure", "穿刺点处理", F.CHOICE, since=2, choices=_choices(
        ("manual_compression", "manual compression", "手工压迫"), ("closure_device", "closure device", "血管闭合器"))),
    Field("closure_device", "Closure device", "闭合器名称", F.TEXT, free_text=True, since=2,
          help="e.g. Perclose ProGlide", help_zh="例如 Perclose ProGlide",
          applies_when=("closure", ("closure_device",))),
    Field("michels_type", "Hepatic arterial anatomy (Michels)", "肝动脉解剖（Michels分型）", F.CHOICE, since=2,
          choices=_choices(*((k, f"type {k}", f"{k}型") for k in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII",
                                                                   "IX", "X")))),
    Field("anatomy_variants", "Variants and collaterals", "解剖变异与侧支", F.TEXT, free_text=True, since=2,
          help="e.g. replaced right hepatic artery from the SMA; inferior phrenic collateral",
          help_zh="例如 肝右动脉起自肠系膜上动脉；膈下动脉侧支"),
    Field("portal_vein", "Portal vein", "门静脉", F.CHOICE, since=2, choices=_choices(
        ("patent", "patent", "通畅"), ("partial_thrombus", "partial thrombus", "部分癌栓/血栓"),
        ("occluded", "occluded", "闭塞"))),
    Field("tumor_staining", "Tumour staining", "肿瘤染色", F.CHOICE, required=True, choices=_choices(
        ("present", "present", "有"), ("absent", "absent", "无"), ("equivocal", "equivocal", "可疑"))),
    Field("stained_segments", "Stained segments", "染色肝段", F.MULTI_CHOICE, choices=COUINAUD_SEGMENTS,
          applies_when=STAIN_SEEN),
    Field("lesion_count", "Stained lesions", "染色病灶数", F.INT, reject_min=0, reject_max=50,
          applies_when=STAIN_SEEN),
    Field("largest_lesion_mm", "Largest lesion", "最大病灶直径", F.NUMBER, unit="mm", reject_min=0,
          reject_max=200, applies_when=STAIN_SEEN),
    Field("stain_interpretation", "Stain interpretation", "染色判读", F.CHOICE, applies_when=STAIN_SEEN, since=2,
          choices=_choices(("recurrence_suspected", "recurrence suspected", "疑似复发"),
                           ("residual_suspected", "residual tumour suspected", "疑似残留"),
                           ("equivocal", "equivocal", "不确定"))),
    Field("embolization", "Embolization", "栓塞方式", F.CHOICE, required=True, choices=_choices(
        ("superselective_chemoembolization", "superselective chemoembolization", "超选择性化疗栓塞"),
        ("prophylactic_embolization", "prophylactic embolization", "预防性栓塞"),
        ("none", "none (aborted)", "未栓塞（中止）"))),
    Field("selectivity", "Selectivity", "超选程度", F.CHOICE, choices=_choices(
        ("whole_liver", "whole liver (proper hepatic)", "全肝（肝固有动脉）"), ("lobar", "lobar", "肝叶"),
        ("segmental", "segmental", "肝段"), ("subsegmental", "subsegmental", "亚段"),
        ("superselective", "superselective", "超选择"))),
    Field("target_vessels", "Target vessels", "靶血管", F.TEXT, free_text=True, help="e.g. A6, A7",
          help_zh="例如 A6、A7"),
    Field("endpoint", "Embolization endpoint", "栓塞终点", F.CHOICE, choices=_choices(
        ("stasis", "stasis", "血流停滞"), ("near_stasis", "near-stasis", "接近停滞"),
        ("substasis", "sub-stasis", "次停滞"), ("not_applicable", "not applicable", "不适用"))),
    Field("technical_success", "Technical success", "技术成功", F.CHOICE, choices=_choices(
        ("complete", "complete", "完全"), ("partial", "partial", "部分"), ("failed", "failed", "失败"))),
    Field("emulsion_drug", "Drug emulsified with lipiodol", "与碘油乳化的药物", F.TEXT, since=2,
          help="e.g. epirubicin", help_zh="例如 表柔比星"),
    Field("emulsion_ratio", "Emulsion ratio (drug : lipiodol)", "乳化比例（药物:碘油）", F.TEXT, since=2,
          help="e.g. 1:2", help_zh="例如 1:2"),
    Field("completion_angiography", "Completion angiography", "术毕造影", F.BOOL, since=2),
    Field("cone_beam_ct", "Cone-beam CT", "锥形束CT", F.BOOL, since=2),
    Field("contrast_agent", "Contrast agent", "对比剂", F.TEXT, since=2,
          help="e.g. iodixanol 320", help_zh="例如 碘克沙醇320"),
    Field("contrast_ml", "Contrast", "对比剂用量", F.NUMBER, unit="mL", reject_min=0, reject_max=600,
          warn_max=250),
    Field("fluoroscopy_min", "Fluoroscopy time", "透视时间", F.NUMBER, unit="min", reject_min=0,
          reject_max=300, follow_up_above=60, help="Minutes, not seconds",
          help_zh="单位为分钟，不是秒"),
    Field("dap_gycm2", "Dose-area product", "剂量面积乘积", F.NUMBER, unit="Gy·cm²", reject_min=0,
          reject_max=5000, warn_min=1, follow_up_above=500, help="Gy·cm² (1 Gy·m² = 10,000 Gy·cm²)",
          help_zh="单位为 Gy·cm²（1 Gy·m² = 10,000 Gy·cm²）"),
    Field("air_kerma_mgy", "Reference air kerma", "参考点空气比释动能", F.NUMBER, unit="mGy", reject_min=0,
          reject_max=30000, follow_up_above=5000),
    # The parts of the dose-area product and the events, as the X-ray system's dose report (RDSR) gives them.
    Field("fluoro_dap_gycm2", "Fluoroscopy DAP", "透视剂量面积乘积", F.NUMBER, unit="Gy·cm²",
          reject_min=0, reject_max=5000, since=2, help="Gy·cm² (1 Gy·m² = 10,000 Gy·cm²)",
          help_zh="单位为 Gy·cm²（1 Gy·m² = 10,000 Gy·cm²）"),
    Field("acquisition_dap_gycm2", "Acquisition DAP", "采集剂量面积乘积", F.NUMBER, unit="Gy·cm²",
          reject_min=0, reject_max=5000, since=2, help="Gy·cm² (1 Gy·m² = 10,000 Gy·cm²)",
          help_zh="单位为 Gy·cm²（1 Gy·m² = 10,000 Gy·cm²）"),
    Field("irradiation_events", "Irradiation events", "照射事件数", F.INT, reject_min=0, reject_max=5000, since=2,
          help="fluoroscopy runs and acquisitions, from the dose report",
          help_zh="透视与采集序列数，来自剂量报告"),
    Field("tolerance", "Patient tolerance", "患者耐受情况", F.CHOICE, since=2, choices=_choices(
        ("good", "well tolerated", "耐受良好"), ("fair", "fair", "尚可"), ("poor", "poorly tolerated", "耐受差"))),
    Field("findings", "Findings", "术中所见", F.LONG_TEXT),
    Field("impression", "Impression", "术中诊断", F.LONG_TEXT, required_to_sign=True),
    Field("post_orders", "Post-procedure orders", "术后医嘱", F.LONG_TEXT, since=2),
    Field("follow_up_plan", "Follow-up plan", "随访计划", F.LONG_TEXT, since=2),
), parent="patient", cardinality=MANY, document_key="procedures", table="procedures", own_id=True, standalone=True,
    multi_tables={"stained_segments": MultiTable("procedure_segments", "procedure_id", "segment")},
    bookkeeping=(("patient_id", None), ("status", "draft"), *_STAMPS))

# What an addendum records besides who wrote it and when (storage.signatures); not part of a procedure record.
ADDENDUM = Entity("addendum", "Addendum", "补充说明", (
    Field("reason", "Reason", "原因", F.TEXT, required=True),
    Field("text", "Text", "内容", F.LONG_TEXT, required=True),
))


# -- the patient's course (../shared/interchange-v2.md): around the procedure, from screening to death ---------
ENROLLED, NOT_ENROLLED = ("enrolled", (True,)), ("enrolled", (False,))
INTRAHEPATIC, EXTRAHEPATIC = ("pattern", ("intrahepatic", "both")), ("pattern", ("extrahepatic", "both"))
SCREENING = Entity("screening", "Screening", "筛选", (
    Field("screen_no", "Screening number", "筛选号", F.TEXT, identifier=True),
    Field("screen_date", "Screening date", "筛选日期", F.DATE),
    Field("consent_date", "Consent date", "知情同意日期", F.DATE),
    Field("enrolled", "Enrolled", "入组", F.BOOL),
    Field("enrol_date", "Enrolment date", "入组日期", F.DATE, applies_when=ENROLLED),
    Field("arm_basis", "Arm chosen by", "分组依据", F.CHOICE, help="The cohort is not randomised",
          help_zh="本队列非随机分组",
          applies_when=ENROLLED, choices=_choices(
        ("patient_choice", "patient's choice", "患者意愿"),
        ("physician_recommendation", "physician's recommendation", "医生建议"),
        ("cost", "cost", "费用"), ("other", "other", "其他"))),
    Field("not_enrolled_reason", "Reason not enrolled", "未入组原因", F.CHOICE, applies_when=NOT_ENROLLED,
          choices=_choices(
        ("not_meeting_inclusion", "not meeting inclusion criteria", "不符合纳入标准"),
        ("meeting_exclusion", "meeting an exclusion criterion", "符合排除标准"),
        ("declined", "declined", "拒绝参加"), ("physician_decision", "physician's decision", "医生决定"),
        ("other", "other", "其他"))),
    Field("not_enrolled_note", "Note on not enrolling", "未入组说明", F.TEXT, applies_when=NOT_ENROLLED,
          free_text=True),
    Field("resection_intent", "Resection intent", "手术目的", F.CHOICE, choices=_choices(
        ("curative", "curative", "根治性"), ("palliative", "palliative", "姑息性"))),
    Field("asa", "ASA class", "ASA分级", F.INT, reject_min=1, reject_max=6),
    Field("ecog", "ECOG performance status", "ECOG评分", F.INT, reject_min=0, reject_max=5),
    Field("ascites", "Ascites", "腹水", F.CHOICE, help="A Child-Pugh input: never assumed",
          help_zh="Child-Pugh评分项：不可默认", choices=_choices(
        ("none", "none", "无"), ("mild", "mild", "轻度"), ("moderate_severe", "moderate to severe", "中重度"))),
    Field("encephalopathy", "Hepatic encephalopathy", "肝性脑病", F.CHOICE,
          help="A Child-Pugh input: never assumed", help_zh="Child-Pugh评分项：不可默认",
          choices=_choices(("none", "none", "无"), ("grade_1_2", "grade 1-2", "1-2级"),
                           ("grade_3_4", "grade 3-4", "3-4级"))),
    Field("hbsag", "HBsAg", "乙肝表面抗原", F.CHOICE, choices=_choices(
        ("positive", "positive", "阳性"), ("negative", "negative", "阴性"))),
    Field("antiviral", "Antiviral therapy", "抗病毒治疗", F.TEXT, free_text=True),
    Field("prior_lenvatinib", "Prior lenvatinib", "既往使用仑伐替尼", F.BOOL),
    Field("sorafenib_allergy", "Allergy to sorafenib", "索拉非尼过敏", F.BOOL),
    Field("pregnant_or_lactating", "Pregnant or lactating", "妊娠或哺乳期", F.BOOL),
    Field("other_malignancy", "Other malignancy", "合并其他恶性肿瘤", F.BOOL),
    Field("mental_illness", "Mental illness", "精神疾病", F.BOOL),
    Field("other_trial_within_3_months", "Other trial within 3 months", "3个月内参加其他临床试验", F.BOOL),
    Field("prohibited_postop_therapy", "Prohibited postoperative therapy", "术后接受禁用治疗", F.BOOL),
), parent="patient", since=2, document_key="screening", table="screenings", optional=True)

LAB = Entity("lab", "Lab result", "化验结果", (
    Field("date", "Date", "日期", F.DATE, required=True),
    Field("test", "Test", "检验项目", F.CHOICE, required=True, choices_from="lab_catalogue.tests"),
    Field("value", "Value", "结果", F.NUMBER, required=True, help="As entered, in its unit", help_zh="按原始单位录入"),
    Field("unit", "Unit", "单位", F.TEXT, required=True),
    Field("qualifier", "Qualifier", "限定符", F.CHOICE, help="Below detection, or above the assay's range",
          help_zh="低于检测下限，或高于检测范围",
          choices=_choices(("<", "<", "<"), (">", ">", ">"))),
    Field("uln", "Upper limit of normal", "正常值上限", F.NUMBER, reject_min=0, help="For ALT, AST and ALP",
          help_zh="用于谷丙转氨酶、谷草转氨酶和碱性磷酸酶"),
), parent="patient", since=2, cardinality=MANY, document_key="labs", table="labs", positioned=True, own_id=True)

DOSE_PERIOD = Entity("dose_period", "Lenvatinib period", "仑伐替尼用药期", (
    Field("start", "Start", "开始日期", F.DATE, required=True),
    Field("end", "End", "结束日期", F.DATE, help="The last day taken at this dose; blank while ongoing",
          help_zh="此剂量的最后服药日；仍在服用则留空"),
    Field("dose_mg", "Dose", "剂量", F.INT, unit="mg", required=True, values=(12, 8, 4)),
    Field("frequency", "Frequency", "频次", F.CHOICE, required=True, refused=(("bid", "lenvatinib_bid"),),
          choices=_choices(("qd", "once daily", "每日一次"), ("qod", "every other day", "隔日一次"))),
    Field("intent", "Intent", "用药目的", F.CHOICE, help="Adjuvant unless after recurrence",
          help_zh="除非复发后用药，均为辅助治疗", choices=_choices(
        ("adjuvant", "adjuvant", "辅助治疗"), ("post_recurrence", "after recurrence", "复发后治疗"))),
    Field("weight_kg", "Weight the dose was chosen by", "选择剂量时体重", F.NUMBER, unit="kg", reject_min=30,
          reject_max=200),
    Field("end_reason", "Reason it ended", "结束原因", F.CHOICE, choices=_choices(
        ("held_for_ae", "held for an adverse event", "因不良事件暂停"),
        ("held_peri_procedural", "held around a procedure", "围手术期暂停"),
        ("held_other", "held, other reason", "其他原因暂停"), ("recurrence", "recurrence", "复发"),
        ("discontinued_ae", "discontinued for an adverse event", "因不良事件停药"),
        ("patient_decision", "patient's decision", "患者决定"),
        ("completed_planned_duration", "planned duration completed", "完成计划疗程"),
        ("lost_to_follow_up", "lost to follow-up", "失访"), ("death", "death", "死亡"), ("other", "other", "其他"))),
    Field("adverse_event_id", "Adverse event that ended it", "导致结束的不良事件", F.TEXT,
          help="The id of one of the patient's adverse events",
          help_zh="该患者某一不良事件的ID"),
), parent="patient", since=2, cardinality=MANY, document_key="lenvatinib", table="lenvatinib_periods", positioned=True,
    own_id=True)

_ATTRIBUTION = _choices(("unrelated", "unrelated", "无关"), ("unlikely", "unlikely", "可能无关"),
                        ("possible", "possible", "可能有关"), ("probable", "probable", "很可能有关"),
                        ("definite", "definite", "肯定有关"))

ADVERSE_EVENT = Entity("adverse_event", "Adverse event", "不良事件", (
    Field("term", "Term", "不良事件名称", F.TEXT, required=True, help="The CTCAE v5 term, as CTCAE writes it",
          help_zh="CTCAE v5术语，按CTCAE原文填写"),
    Field("ctcae_grade", "CTCAE grade", "CTCAE分级", F.INT, required=True, reject_min=1, reject_max=5),
    Field("onset", "Onset", "发生日期", F.DATE, required=True),
    Field("resolved", "Resolved", "缓解日期", F.DATE),
    Field("serious", "Serious", "严重不良事件", F.BOOL),
    Field("attribution_lenvatinib", "Related to lenvatinib", "与仑伐替尼的相关性", F.CHOICE, choices=_ATTRIBUTION),
    Field("attribution_tace", "Related to TACE", "与TACE的相关性", F.CHOICE, choices=_ATTRIBUTION),
    Field("action_lenvatinib", "Action on lenvatinib", "仑伐替尼处理", F.CHOICE, choices=_choices(
        ("none", "none", "无调整"), ("interrupted_resumed_same_dose", "interrupted, resumed at the same dose",
                                     "暂停后原剂量恢复"),
        ("interrupted_then_reduced", "interrupted, then reduced", "暂停后减量"), ("reduced", "reduced", "减量"),
        ("discontinued", "discontinued", "停药"))),
    Field("action_date", "Action date", "处理日期", F.DATE),
    Field("outcome", "Outcome", "转归", F.CHOICE, choices=_choices(
        ("recovered", "recovered", "痊愈"), ("recovering", "recovering", "好转中"),
        ("not_recovered", "not recovered", "未缓解"), ("recovered_with_sequelae", "recovered with sequelae",
                                                      "痊愈伴后遗症"),
        ("fatal", "fatal", "死亡"), ("unknown", "unknown", "不详"))),
    Field("management", "Management", "处理措施", F.TEXT, free_text=True),
), parent="patient", since=2, cardinality=MANY, document_key="adverse_events", table="adverse_events", positioned=True,
    own_id=True)

FOLLOW_UP = Entity("follow_up", "Follow-up", "随访", (
    Field("date", "Date", "随访日期", F.DATE, required=True),
    Field("type", "Type", "随访方式", F.CHOICE, required=True, choices=_choices(
        ("imaging", "imaging", "影像检查"), ("clinic", "clinic visit", "门诊"), ("phone", "phone", "电话"))),
    Field("modality", "Modality", "检查方式", F.CHOICE, applies_when=("type", ("imaging",)), choices=_choices(
        ("ce_ct", "contrast CT", "增强CT"), ("ce_mri", "contrast MRI", "增强MRI"), ("ceus", "contrast ultrasound",
                                                                                "超声造影"),
        ("us", "ultrasound", "超声"), ("chest_ct", "chest CT", "胸部CT"), ("bone_scan", "bone scan", "骨扫描"),
        ("pet_ct", "PET-CT", "PET-CT"))),
    Field("result", "Result", "结果", F.CHOICE, applies_when=("type", ("imaging",)), choices=_choices(
        ("no_evidence_of_disease", "no evidence of disease", "未见复发"), ("equivocal", "equivocal", "可疑"),
        ("recurrence", "recurrence", "复发"))),
    Field("alive", "Alive", "存活", F.BOOL, help="Known alive at this contact (blank: yes)",
          help_zh="本次联系时确认存活（留空：是）"),
    Field("note", "Note", "备注", F.TEXT, free_text=True),
), parent="patient", since=2, cardinality=MANY, document_key="follow_ups", table="follow_ups", positioned=True,
    own_id=True)

RECURRENCE = Entity("recurrence", "Recurrence", "复发", (
    Field("first_seen_date", "First seen", "首次发现日期", F.DATE, required=True,
          help="The first CT, MRI, CEUS or histology that shows it",
          help_zh="首次显示复发的CT、MRI、超声造影或病理"),
    Field("confirmation_date", "Confirmed", "确诊日期", F.DATE),
    Field("dsa_first_seen_date", "First seen at DSA", "DSA首次发现日期", F.DATE,
          help="A stain at DSA before cross-sectional imaging showed it: supporting, not the event by default",
          help_zh="断层影像显示之前DSA已见染色：为支持证据，默认不作为复发事件"),
    Field("pattern", "Pattern", "复发部位", F.CHOICE, required=True, choices=_choices(
        ("intrahepatic", "intrahepatic", "肝内"), ("extrahepatic", "extrahepatic", "肝外"),
        ("both", "intra- and extrahepatic", "肝内及肝外"))),
    Field("intrahepatic_type", "Intrahepatic type", "肝内复发类型", F.CHOICE, applies_when=INTRAHEPATIC,
          choices=_choices(
        ("solitary", "solitary", "单发"), ("multifocal_2_3", "multifocal, 2-3", "多发（2-3个）"),
        ("multifocal_4_plus", "multifocal, 4 or more", "多发（≥4个）"), ("diffuse", "diffuse", "弥漫"))),
    Field("relation_to_resection", "Relation to the resection", "与切除部位关系", F.CHOICE,
          applies_when=INTRAHEPATIC, choices=_choices(
        ("resection_margin", "at the resection margin", "切缘"), ("same_segment", "same segment", "同一肝段"),
        ("different_segment", "different segment", "不同肝段"))),
    Field("extrahepatic_sites", "Extrahepatic sites", "肝外转移部位", F.MULTI_CHOICE, applies_when=EXTRAHEPATIC,
          choices=_choices(
        ("lung", "lung", "肺"), ("bone", "bone", "骨"), ("lymph_node_regional", "regional lymph node", "区域淋巴结"),
        ("lymph_node_distant", "distant lymph node", "远处淋巴结"), ("peritoneum", "peritoneum", "腹膜"),
        ("adrenal", "adrenal", "肾上腺"), ("brain", "brain", "脑"), ("other", "other", "其他"))),
    Field("confirmation_method", "Confirmed by", "确诊方法", F.CHOICE, required=True, choices=_choices(
        ("imaging_noninvasive", "imaging (non-invasive criteria)", "影像学无创诊断"),
        ("imaging_follow_up_growth", "imaging, growth on follow-up", "随访影像增大"),
        ("histology_biopsy", "histology, biopsy", "穿刺活检病理"),
        ("histology_resection", "histology, resection", "手术切除病理"),
        ("clinical_only", "clinical only", "仅临床诊断"))),
    Field("treatments", "Treatments", "复发后治疗", F.MULTI_CHOICE, choices=_choices(
        ("repeat_hepatectomy", "repeat hepatectomy", "再次肝切除"), ("ablation", "ablation", "消融"),
        ("tace", "TACE", "TACE"), ("haic", "HAIC", "HAIC"), ("radiotherapy", "radiotherapy", "放疗"),
        ("transplant", "transplant", "肝移植"), ("systemic", "systemic therapy", "系统治疗"),
        ("best_supportive_care", "best supportive care", "最佳支持治疗"))),
    Field("note", "Note", "备注", F.TEXT, free_text=True),
), parent="patient", since=2, document_key="recurrence", table="recurrences", optional=True, multi_tables={
    "extrahepatic_sites": MultiTable("recurrence_sites", "recurrence_id", "site"),
    "treatments": MultiTable("recurrence_treatments", "recurrence_id", "treatment")})

DEATH = Entity("death", "Death", "死亡", (
    Field("date", "Date of death", "死亡日期", F.DATE, required=True),
    Field("cause", "Cause", "死亡原因", F.CHOICE, required=True, choices=_choices(
        ("hcc_progression", "HCC progression", "肝癌进展"), ("liver_failure", "liver failure", "肝功能衰竭"),
        ("treatment_related", "treatment-related", "治疗相关"), ("other_cancer", "other cancer", "其他肿瘤"),
        ("cardiovascular", "cardiovascular", "心血管疾病"), ("infection", "infection", "感染"),
        ("other", "other", "其他"), ("unknown", "unknown", "不详"))),
    Field("source", "Source", "信息来源", F.CHOICE, choices=_choices(
        ("hospital_record", "hospital record", "医院记录"), ("family", "family", "家属"), ("registry", "registry",
                                                                                       "死亡登记"),
        ("other", "other", "其他"))),
), parent="patient", since=2, document_key="death", table="deaths", optional=True)

LOST_TO_FOLLOW_UP = Entity("lost_to_follow_up", "Lost to follow-up", "失访", (
    Field("declared_date", "Declared lost", "判定失访日期", F.DATE, required=True),
    Field("attempt_dates", "Attempts to reach", "联系尝试日期", F.DATES),
), parent="patient", since=2, document_key="lost_to_follow_up", table="losses_to_follow_up", optional=True,
    multi_tables={"attempt_dates": MultiTable("contact_attempts", "loss_id", "date")})

WITHDRAWAL = Entity("withdrawal", "Withdrawal", "退出研究", (
    Field("date", "Date", "退出日期", F.DATE, required=True),
    Field("reason", "Reason", "退出原因", F.CHOICE, required=True, choices=_choices(
        ("consent_withdrawn", "consent withdrawn", "撤回知情同意"),
        ("residual_lesion_on_dsa", "residual lesion at DSA", "DSA发现残留病灶"),
        ("physician_decision", "physician's decision", "医生决定"), ("other", "other", "其他"))),
    Field("note", "Note", "备注", F.TEXT, free_text=True),
), parent="patient", since=2, document_key="withdrawal", table="withdrawals", optional=True)

COURSE = (SCREENING, LAB, DOSE_PERIOD, ADVERSE_EVENT, FOLLOW_UP, RECURRENCE, DEATH, LOST_TO_FOLLOW_UP, WITHDRAWAL)


@dataclass(frozen=True)
class Section(Choice):
    """Fields shown together under one heading, in the form and in the report (REDCap's section header): some
    fields of one entity, or (`rows`) a child list of the procedure, shown as rows of its entity's fields."""

    fields: tuple[str, ...] = ()
    entity: str = "procedure"  # whose fields: "patient", "pathology", "procedure"; for rows, the child entity
    rows: str | None = None  # the procedure's child list the section shows ("agents"), one row per record
    in_report: bool = True  # the chart copy leaves out what is not about the procedure (the pathology)

    @property
    def path(self) -> str:
        """Where its fields are in an entry's findings (`Logbook.check_entry`): 'patient.', 'patient.pathology.',
        'procedure.' (a procedure is saved on its own, so its path starts at it)."""
        entity, keys = declared(self.entity), []
        while entity.parent is not None and not entity.standalone:
            keys.append(entity.document_key)
            entity = declared(entity.parent)
        return ".".join([entity.key, *reversed(keys)]) + "."

    @property
    def wide(self) -> bool:
        """Across the page: rows and narrative; other sections share the page's width two by two."""
        return self.rows is not None or all(declared(self.entity)[k].type is F.LONG_TEXT for k in self.fields)


# The procedure page, in reading order: the form and the report both walk it, so a field is placed here and
# nowhere else (tests/core/test_dictionary.py holds every field of the page's entities to exactly one section;
# tests/ui/test_procedure_form.py to a visible editor).
PROCEDURE_PAGE = (
    Section("patient", "Patient", "患者", ("mrn", "name", "sex", "birth_date", "weight_kg", "height_cm", "arm",
                                         "study_id", "resection_date", "resection_margin"), entity="patient"),
    Section("pathology", "Pathology", "病理", PATHOLOGY.keys, entity="pathology", in_report=False),
    Section("procedure", "Procedure", "手术", ("date", "start_time", "end_time", "cycle", "intent", "procedure_name",
                                           "indication", "pre_diagnosis", "operator", "assistants",
                                           "consent_obtained", "time_out_done", "anaesthesia")),
    Section("access", "Access and devices", "入路与器械", ("access_site", "sheath_fr", "base_catheter",
                                                     "microcatheter", "closure", "closure_device")),
    Section("anatomy", "Hepatic arterial anatomy", "肝动脉解剖", ("michels_type", "anatomy_variants", "portal_vein")),
    Section("dsa", "DSA findings", "DSA所见", ("tumor_staining", "stained_segments", "lesion_count",
                                               "largest_lesion_mm", "stain_interpretation")),
    Section("treatment", "Treatment", "治疗", ("embolization", "selectivity", "target_vessels", "endpoint",
                                               "technical_success", "emulsion_drug", "emulsion_ratio",
                                               "completion_angiography", "cone_beam_ct")),
    Section("radiation", "Contrast and radiation", "对比剂与辐射", ("contrast_agent", "contrast_ml",
                                                                "fluoroscopy_min", "dap_gycm2", "air_kerma_mgy",
                                                                "fluoro_dap_gycm2", "acquisition_dap_gycm2",
                                                                "irradiation_events")),
    Section("agents", "Agents and doses", "药物与剂量", entity="agent", rows="agents"),
    Section("medications", "Other drugs", "其他用药", entity="medication", rows="medications"),
    Section("complications", "Complications", "并发症", entity="complication", rows="complications"),
    Section("aftercare", "After the procedure", "术后", ("tolerance", "post_orders", "follow_up_plan")),
    Section("key_images", "Key images", "关键图像", entity="key_image", rows="key_images"),
    Section("narrative", "Narrative", "术中所见与诊断", ("findings", "impression")),
)

ENTITIES: tuple[Entity, ...] = (PATIENT, PATHOLOGY, PROCEDURE, AGENT, COMPLICATION, MEDICATION, KEY_IMAGE,
                                *COURSE)  # the ones shipped

# -- the declared entities: the shipped ones and any declared later (`declare`) -------------------------------
_DECLARED: dict[str, Entity] = {e.key: e for e in ENTITIES}
_CHILDREN: dict[str, tuple[Entity, ...]] = {}  # by parent key, worked out on first use after each change
# What others worked out from the declarations (record classes, row layouts), forgotten when they change.
_ON_CHANGE: list[Callable[[], None]] = [_CHILDREN.clear]


def declare(entity: Entity) -> Entity:
    """Add an entity to the declared ones (its table made by a migration): everything that walks the declarations
    follows it from now on. A child's parent must be declared first."""
    if entity.key in _DECLARED:
        raise ValueError(f"the entity {entity.key!r} is declared already")
    if entity.parent is not None:
        parent = declared(entity.parent)
        if any(c.document_key == entity.document_key for c in children(parent)) \
                or entity.document_key in parent.key_set:
            raise ValueError(f"{parent.key} already has a {entity.document_key!r}")
    _DECLARED[entity.key] = entity
    _changed()
    return entity


def withdraw(entity: Entity) -> None:
    """Forget a declared entity (tests declare throwaway ones); the shipped ones stay."""
    if entity in ENTITIES:
        raise ValueError(f"{entity.key} is a shipped entity")
    if children(entity):
        raise ValueError(f"{entity.key} has children: withdraw them first")
    del _DECLARED[entity.key]
    _changed()


def on_change(forget: Callable[[], None]) -> None:
    """Call `forget` whenever the declarations change: what was worked out from them is stale."""
    _ON_CHANGE.append(forget)


def _changed() -> None:
    for forget in _ON_CHANGE:
        forget()


def declared(key: str) -> Entity:
    return _DECLARED[key]


def entities() -> Iterable[Entity]:
    """Every declared entity, parents before their children."""
    return tuple(_DECLARED.values())


def children(entity: Entity) -> tuple[Entity, ...]:
    """The entities whose parent is `entity`, in the order they were declared."""
    found = _CHILDREN.get(entity.key)
    if found is None:
        found = _CHILDREN[entity.key] = tuple(e for e in _DECLARED.values() if e.parent == entity.key)
    return found


def parts(entity: Entity) -> tuple[Entity, ...]:
    """The children that are part of an `entity` record (saved and read with it): all but the standalone ones."""
    return tuple(c for c in children(entity) if not c.standalone)


def path_label(path: str, language: str = "en", entity: Entity = PROCEDURE) -> str:
    """A finding's path as a person reads it, in the dictionary's labels: `agents[0].dose` is 'Agent 1 · Dose',
    `procedure.tumor_staining` 'Tumour staining'. A path without a prefix is in `entity`; a path the dictionary
    does not know stays as it is. The form's paths start with an entity's key (`patient.`, `procedure.`), a
    document's with its keys (`patients[0].procedures[1].`)."""
    words = []
    for part in path.split("."):
        key, _, index = part.partition("[")
        index = index.removesuffix("]")
        known = None if key in entity.key_set and not index else _path_entity(key, entity)
        if known is not None:
            entity = known
            if index.isdigit():  # a row of a list: counted from 1
                words.append(f"{entity.label(language)} {int(index) + 1}")
        elif key in entity.key_set and not index:
            words.append(entity[key].label(language))
        else:
            return path
    return " · ".join(words) or path


def _path_entity(key: str, within: Entity) -> Entity | None:
    """The entity a path's part names: a child's document key under `within`, else any entity's key or document
    key."""
    for child in children(within):
        if child.document_key == key:
            return child
    if key in _DECLARED:
        return _DECLARED[key]
    return next((e for e in _DECLARED.values() if e.document_key == key), None)
