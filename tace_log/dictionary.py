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
    INT = "int"
    NUMBER = "number"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"  # a set of choices, stored one row per choice
    BOOL = "bool"


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
    warn_max: float | None = None  # at or above is a warning (above only, when warn_max_inclusive is False)
    warn_max_inclusive: bool = True
    # Names a record (MRN, study ID, lot): stored in Unicode NFC and refused with an invisible or control
    # character in it, so two look-alike spellings are never two patients.
    identifier: bool = False
    help: str = ""
    help_zh: str = ""  # the help in Chinese (`hint`)
    # The most characters a value may have: by default, MAX_LENGTH of its type (text fields only). Above it is an
    # error for new input; a stored longer value still exports and prints.
    max_length: int | None = None
    # Recorded only when another field of the record has one of these values, e.g. segments when a stain is seen:
    # a value given otherwise is an error for new input (validation), and the form clears it when the other
    # field changes.
    applies_when: tuple[str, tuple[str, ...]] | None = None
    # Where the choices come from when the dictionary does not fix them: a site file's list, named
    # "<file>.<list>" ("formulary.agents", "protocol.arms"), resolved in one place (`choice_lists.ChoiceLists`).
    choices_from: str | None = None

    def __post_init__(self):
        if self.max_length is None and self.type in MAX_LENGTH:
            object.__setattr__(self, "max_length", MAX_LENGTH[self.type])

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
    """Where a multi-choice field is stored: a table of (owner, value) rows, one per choice."""

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
    # Attributes its records keep beside the fields, stored in columns of the same name: (name, default).
    bookkeeping: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self):
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{self.key}: a field is defined twice")
        multi = {f.key for f in self.fields if f.type is FieldType.MULTI_CHOICE}
        if set(self.multi_tables) != multi:
            raise ValueError(f"{self.key}: each multi-choice field needs its table ({', '.join(sorted(multi))})")
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
), parent="patient", document_key="pathology", column_prefix="pathology_",
    multi_tables={"thrombus": MultiTable("patient_thrombus", "patient_id", "site")})

PATIENT = Entity("patient", "Patient", "患者", (
    Field("mrn", "MRN", "住院号", F.TEXT, required=True, identifier=True, help="Hospital medical record number",
          help_zh="医院住院号（病案号）"),
    Field("name", "Name", "姓名", F.TEXT, required=True),
    Field("sex", "Sex", "性别", F.CHOICE, choices=_choices(("M", "male", "男"), ("F", "female", "女"))),
    Field("birth_date", "Birth date", "出生日期", F.DATE),
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
    Field("management", "Management", "处理", F.TEXT),
), parent="procedure", cardinality=MANY, document_key="complications", table="complications", positioned=True)

STAIN_SEEN = ("tumor_staining", ("present", "equivocal"))  # segments and lesions are recorded for a stain

PROCEDURE = Entity("procedure", "Procedure", "手术", (
    Field("date", "Procedure date", "手术日期", F.DATE, required=True),
    Field("cycle", "Cycle", "周期", F.INT, reject_min=1, reject_max=10),
    Field("operator", "Operator", "术者", F.TEXT, required_to_sign=True),
    Field("access_site", "Access site", "穿刺入路", F.CHOICE, choices=_choices(
        ("right_femoral", "right femoral", "右股动脉"), ("left_femoral", "left femoral", "左股动脉"),
        ("right_radial", "right radial", "右桡动脉"), ("left_radial", "left radial", "左桡动脉"),
        ("brachial", "brachial", "肱动脉"))),
    Field("microcatheter", "Microcatheter", "微导管", F.TEXT, help="e.g. Progreat 2.7F", help_zh="例如 Progreat 2.7F"),
    Field("tumor_staining", "Tumour staining", "肿瘤染色", F.CHOICE, required=True, choices=_choices(
        ("present", "present", "有"), ("absent", "absent", "无"), ("equivocal", "equivocal", "可疑"))),
    Field("stained_segments", "Stained segments", "染色肝段", F.MULTI_CHOICE, choices=COUINAUD_SEGMENTS,
          applies_when=STAIN_SEEN),
    Field("lesion_count", "Stained lesions", "染色病灶数", F.INT, reject_min=0, reject_max=50,
          applies_when=STAIN_SEEN),
    Field("largest_lesion_mm", "Largest lesion", "最大病灶直径", F.NUMBER, unit="mm", reject_min=0,
          reject_max=200, applies_when=STAIN_SEEN),
    Field("embolization", "Embolization", "栓塞方式", F.CHOICE, required=True, choices=_choices(
        ("superselective_chemoembolization", "superselective chemoembolization", "超选择性化疗栓塞"),
        ("prophylactic_embolization", "prophylactic embolization", "预防性栓塞"),
        ("none", "none (aborted)", "未栓塞（中止）"))),
    Field("selectivity", "Selectivity", "超选程度", F.CHOICE, choices=_choices(
        ("whole_liver", "whole liver (proper hepatic)", "全肝（肝固有动脉）"), ("lobar", "lobar", "肝叶"),
        ("segmental", "segmental", "肝段"), ("subsegmental", "subsegmental", "亚段"),
        ("superselective", "superselective", "超选择"))),
    Field("target_vessels", "Target vessels", "靶血管", F.TEXT, help="e.g. A6, A7", help_zh="例如 A6、A7"),
    Field("endpoint", "Embolization endpoint", "栓塞终点", F.CHOICE, choices=_choices(
        ("stasis", "stasis", "血流停滞"), ("near_stasis", "near-stasis", "接近停滞"),
        ("substasis", "sub-stasis", "次停滞"), ("not_applicable", "not applicable", "不适用"))),
    Field("technical_success", "Technical success", "技术成功", F.CHOICE, choices=_choices(
        ("complete", "complete", "完全"), ("partial", "partial", "部分"), ("failed", "failed", "失败"))),
    Field("contrast_ml", "Contrast", "对比剂用量", F.NUMBER, unit="mL", reject_min=0, reject_max=600,
          warn_max=250, warn_max_inclusive=False),
    Field("fluoroscopy_min", "Fluoroscopy time", "透视时间", F.NUMBER, unit="min", reject_min=0,
          reject_max=300, warn_max=60, help="Minutes, not seconds",
          help_zh="单位为分钟，不是秒"),
    Field("dap_gycm2", "Dose-area product", "剂量面积乘积", F.NUMBER, unit="Gy·cm²", reject_min=0,
          reject_max=5000, warn_min=1, warn_max=500, help="Gy·cm² (1 Gy·m² = 10,000 Gy·cm²)",
          help_zh="单位为 Gy·cm²（1 Gy·m² = 10,000 Gy·cm²）"),
    Field("air_kerma_mgy", "Reference air kerma", "参考点空气比释动能", F.NUMBER, unit="mGy", reject_min=0,
          reject_max=30000, warn_max=5000),
    Field("findings", "Findings", "术中所见", F.LONG_TEXT),
    Field("impression", "Impression", "术中诊断", F.LONG_TEXT),
), parent="patient", cardinality=MANY, document_key="procedures", table="procedures", own_id=True, standalone=True,
    multi_tables={"stained_segments": MultiTable("procedure_segments", "procedure_id", "segment")},
    bookkeeping=(("patient_id", None), ("status", "draft"), *_STAMPS))

# What an addendum records besides who wrote it and when (storage.signatures); not part of a procedure record.
ADDENDUM = Entity("addendum", "Addendum", "补充说明", (
    Field("reason", "Reason", "原因", F.TEXT, required=True),
    Field("text", "Text", "内容", F.LONG_TEXT, required=True),
))


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
    Section("procedure", "Procedure", "手术", ("date", "cycle", "operator", "access_site", "microcatheter")),
    Section("dsa", "DSA findings", "DSA所见", ("tumor_staining", "stained_segments", "lesion_count",
                                               "largest_lesion_mm")),
    Section("treatment", "Treatment", "治疗", ("embolization", "selectivity", "target_vessels", "endpoint",
                                               "technical_success")),
    Section("radiation", "Contrast and radiation", "对比剂与辐射", ("contrast_ml", "fluoroscopy_min", "dap_gycm2",
                                                                "air_kerma_mgy")),
    Section("agents", "Agents and doses", "药物与剂量", entity="agent", rows="agents"),
    Section("complications", "Complications", "并发症", entity="complication", rows="complications"),
    Section("narrative", "Narrative", "术中所见与诊断", ("findings", "impression")),
)

ENTITIES: tuple[Entity, ...] = (PATIENT, PATHOLOGY, PROCEDURE, AGENT, COMPLICATION)  # the ones shipped

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
