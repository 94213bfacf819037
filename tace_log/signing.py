"""What a signature covers, defined once: the signed content of a procedure, its SHA-256, what recomputing it
against the stored record finds, and the form a signature and its addenda travel in (`tace-log/2`).

Signed content is compact JSON (keys sorted, UTF-8, no ASCII escaping, separators "," and ":"). Values not
recorded (null, empty lists) are left out at every depth, so a field added to the dictionary later leaves old
signatures intact. Its definition has versions; each signature stores the one it used (`content_version`):
- 2 (every signature made now): {"content_version": 2, "patient": <the patient's document: id, every field and
  the pathology>, "procedure": <the procedure's document: every field, agents, complications, id>, "signature":
  {"signer", "signer_name", "signer_role", "signed_at", "meaning"}}. That is every value the report prints (the
  rest it derives from these: age, days after resection) and who signed, when, meaning what. The content is
  stored with the signature and the signed report is printed from it; a later change to the patient is shown
  beside it as changed since signing, never printed as signed.
- 1 (signatures made before schema 5): {"patient": {"id", "mrn", "name", "sex", "birth_date"}, "procedure": ...}.
  It was not stored: it is rebuilt from the record, whose covered parts are locked. Such a signature covers fewer
  fields (`V1_COVERS`) and says so wherever it is shown.
An addendum's hash covers the same JSON form of its procedure id, the procedure's signed hash, text, reason,
author's user name and time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .dictionary import PATHOLOGY, PATIENT, PROCEDURE, Field, recorded
from .findings import ERROR, Finding, join
from .messages import Message, Worded
from .model import SIGNED, Addendum, EnteredInError, Patient, Procedure, Signature

if TYPE_CHECKING:
    from .validation import Validator

# The signer reviews and signs; who performed the procedure is its operator. Signatures made before the report
# printed the operator apart say "performed and reviewed by", and keep saying it.
MEANING = "reviewed and signed by"
ADDENDUM_MEANING = "addendum written and signed by"
ENTERED_IN_ERROR_MEANING = "marked entered in error and signed by"
IDENTIFYING = ("id", "mrn", "name", "sex", "birth_date")
CONTENT_VERSION = 2  # what a signature made now covers
V1_COVERS_WORDED = Message("v1_covers")
V1_COVERS = str(V1_COVERS_WORDED)


def _recorded(value):
    """The value without what was not recorded (null, empty lists), at every depth: a field the dictionary gains
    later is null in every old record, and must not change the hash of what was signed before it existed."""
    if isinstance(value, dict):
        return {k: _recorded(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [_recorded(v) for v in value]
    return value


def _canonical(doc: dict) -> bytes:
    return json.dumps(_recorded(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _sha256(data: bytes) -> str:
    import hashlib  # loaded on first use, not at start-up (tests/ui/test_startup_imports.py)

    return hashlib.sha256(data).hexdigest()


def _manifestation(signature: Signature) -> dict:
    """Who signed, when, meaning what: part of what version 2 signs."""
    return {"signer": signature.username, "signer_name": signature.signer, "signer_role": signature.role,
            "signed_at": signature.signed_at, "meaning": signature.meaning}


# The parts of a patient's record that version 2 covers: the pathology. The patient's course (screening, labs, the
# lenvatinib course, follow-ups...) is not the procedure's: it goes on being recorded, with its own history, after
# the report is signed.
SIGNED_PARTS = ("pathology",)


def signed_patient_document(patient: Patient) -> dict:
    """The patient as version 2 signs it: id, every field and the pathology."""
    return {key: value for key, value in patient.to_document().items()
            if key == "id" or key in PATIENT.key_set or key in SIGNED_PARTS}


def signed_content(patient: Patient, procedure: Procedure, signature: Signature) -> bytes:
    """The content a signature of the current version covers (the hash fields of `signature` are not read)."""
    return _canonical({"content_version": CONTENT_VERSION, "patient": signed_patient_document(patient),
                       "procedure": procedure.to_document(), "signature": _manifestation(signature)})


def content_v1(patient: Patient, procedure: Procedure) -> bytes:
    """The content a version-1 signature covers."""
    person = patient.to_document()
    return _canonical({"patient": {k: person[k] for k in IDENTIFYING}, "procedure": procedure.to_document()})


def sign(patient: Patient, procedure: Procedure, *, username: str, name: str, role: str | None, signed_at: str,
         meaning: str = MEANING) -> Signature:
    """A signature of the current version on this patient's procedure, its content and hash made here."""
    unsigned = Signature(signer=name, username=username, signed_at=signed_at, meaning=meaning, content_sha256="",
                         role=role, content_version=CONTENT_VERSION)
    content = signed_content(patient, procedure, unsigned)
    return replace(unsigned, content=content.decode("utf-8"), content_sha256=_sha256(content))


def addendum_sha256(procedure_id: str, procedure_sha256: str, text: str, reason: str, username: str,
                    created_at: str) -> str:
    return _sha256(_canonical({
        "procedure_id": procedure_id, "procedure_sha256": procedure_sha256, "text": text, "reason": reason,
        "username": username, "created_at": created_at}))


def entered_in_error_sha256(procedure_id: str, procedure_sha256: str, reason: str, username: str,
                            signed_at: str) -> str:
    return _sha256(_canonical({
        "entered_in_error": True, "procedure_id": procedure_id, "procedure_sha256": procedure_sha256,
        "reason": reason, "username": username, "signed_at": signed_at}))


def read_content(text: str, canonical: bool = True) -> dict:
    """The parts of a signed content, or ValueError saying why `text` is not signed content this version reads:
    not JSON, an unknown version, other keys, or (`canonical`: a content to be stored) not written in its one
    canonical form. A stored content was canonical when stored, and its hash says whether it still is."""
    try:
        data = json.loads(text)
    except ValueError:
        raise UnreadableContent(Message("content.not_json")) from None
    if not isinstance(data, dict):
        raise UnreadableContent(Message("content.not_object"))
    version = data.get("content_version", 1)
    if version not in (1, CONTENT_VERSION):
        raise UnreadableContent(Message("content.later_version", version=repr(version)))
    expected = {"patient", "procedure"} | ({"content_version", "signature"} if version != 1 else set())
    if set(data) != expected or not all(isinstance(data[k], dict) for k in expected - {"content_version"}):
        raise UnreadableContent(Message("content.not_a_procedure", keys=", ".join(sorted(map(str, data)))))
    if canonical and _canonical(data) != text.encode("utf-8", "surrogatepass"):
        raise UnreadableContent(Message("content.not_canonical"))
    return data


class UnreadableContent(ValueError):
    """Why a text is not a signed content this version reads; its argument is the catalogue's Message."""

    @property
    def said(self) -> Message:
        return self.args[0]


@dataclass(frozen=True)
class Change:
    """A patient value that differs from what was signed (a later visit's weight, a corrected arm)."""

    field: Field
    signed: Any
    now: Any

    def describe(self, language: str = "en", display: Callable[[Field, Any], str] | None = None) -> str:
        """'Weight 54 → 95 kg': the label, the signed value, the value now (the unit once, at the end)."""
        show = display or (lambda f, v: f.display(v, language))
        before, after = show(self.field, self.signed) or "—", show(self.field, self.now) or "—"
        unit = f" {self.field.unit}" if self.field.unit else ""
        if unit and before.endswith(unit) and after.endswith(unit):
            before = before[:-len(unit)]
        return f"{self.field.label(language)} {before} → {after}"


@dataclass(frozen=True)
class SignatureCheck:
    """What recomputing a signature and its addenda's hashes against the stored record found.

    `problems` are (the signature key concerned, what is wrong, a catalogue Message); empty when the signature
    holds. `signed_patient`
    and `signed_procedure` are the record as signed (content version 2 on, when its content holds): what the
    signed report prints; `changes` the patient values that differ now. `addendum_problems` maps an addendum's
    position among those checked to what is wrong with it."""

    signature: Signature
    problems: tuple[tuple[str, Message], ...] = ()
    signed_patient: Patient | None = None
    signed_procedure: Procedure | None = None
    changes: tuple[Change, ...] = ()
    addendum_problems: dict[int, Message] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.addendum_problems

    @property
    def covers_fewer_fields(self) -> bool:
        """Made under an older definition, which leaves out some of what the report prints."""
        return self.signature.content_version < CONTENT_VERSION

    def describe(self, language: str = "en") -> str:
        """Every problem, in one line ('' when it holds), in a language."""
        return "; ".join([*(said.text(language) for _, said in self.problems),
                          *(Message("check.addendum", number=i + 1, problem=said).text(language)
                            for i, said in sorted(self.addendum_problems.items()))])


def _differing(signed: dict, now: dict) -> list[str]:
    return sorted(k for k in set(signed) | set(now) if signed.get(k) != now.get(k))


def _field_changes(fields: Iterable[Field], signed, now) -> list[Change]:
    out = []
    for f in fields:
        before, after = getattr(signed, f.key), getattr(now, f.key)
        if before != after and not (before in (None, []) and after in (None, [])):
            out.append(Change(f, before, after))
    return out


def changes_since_signing(signed: Patient, now: Patient) -> list[Change]:
    """The patient's values (and pathology's) that differ from the signed ones; the identifying ones cannot."""
    return (_field_changes((f for f in PATIENT.fields if f.key not in IDENTIFYING), signed, now)
            + _field_changes(PATHOLOGY.fields, signed.pathology, now.pathology))


def check_signature(signature: Signature, patient: Patient, procedure: Procedure, addenda: Iterable[Addendum] = (),
                    entered_in_error: EnteredInError | None = None) -> SignatureCheck:
    """Recompute a signature against the stored (or imported) patient and procedure, each addendum's hash, and
    the hash of the entered-in-error mark, if any."""
    check = _checked_signature(signature, patient, procedure, addenda)
    if entered_in_error is not None and entered_in_error.signature.content_sha256 != entered_in_error_sha256(
            procedure.id, signature.content_sha256, entered_in_error.reason, entered_in_error.signature.username,
            entered_in_error.signature.signed_at):
        return replace(check, problems=(*check.problems, ("entered_in_error", Message("check.entered_in_error_hash"))))
    return check


def _checked_signature(signature: Signature, patient: Patient, procedure: Procedure,
                       addenda: Iterable[Addendum]) -> SignatureCheck:
    addendum_problems = {
        i: Message("check.addendum_hash")
        for i, a in enumerate(addenda)
        if a.signature is None or addendum_sha256(procedure.id, signature.content_sha256, a.text, a.reason,
                                                  a.signature.username, a.created_at) != a.signature.content_sha256}
    if signature.content is None:  # version 1: the content is rebuilt from the record
        v1: tuple[tuple[str, Message], ...] = () if _sha256(content_v1(patient, procedure)) == \
            signature.content_sha256 else (("sha256", Message("check.v1_differs", covers=V1_COVERS_WORDED)),)
        return SignatureCheck(signature, v1, addendum_problems=addendum_problems)
    problems, data = _content_problems(signature, signature.content, patient, procedure)
    if problems or data is None:
        return SignatureCheck(signature, problems, addendum_problems=addendum_problems)
    try:
        signed_patient = _as_stored(Patient, data["patient"])
    except (ValueError, TypeError, KeyError, AttributeError):  # a content resealed with values no record holds
        return SignatureCheck(signature, (("content", Message("check.impossible_values")),),
                              addendum_problems=addendum_problems)
    # the signed procedure is the stored one (compared above), without the times of this logbook's copy: the
    # signed report is the same wherever the record is
    signed_procedure = procedure.replace(created_at=None, updated_at=None, status=SIGNED)
    return SignatureCheck(signature, (), signed_patient, signed_procedure,
                          tuple(changes_since_signing(signed_patient, patient)), addendum_problems)


def _as_stored(cls, doc: dict):
    """A record from its signed document, its id as stored (an old logbook's ids need not be UUIDs)."""
    record = cls.from_document({**doc, "id": None})
    record.id = doc["id"]
    return record


def _content_problems(signature: Signature, content: str, patient: Patient,
                      procedure: Procedure) -> tuple[tuple[tuple[str, Message], ...], dict | None]:
    """Why a stored content does not hold for this record (its hash, its form, or a signed part that differs),
    and the content read."""
    if _sha256(content.encode("utf-8", "surrogatepass")) != signature.content_sha256:
        return (("sha256", Message("signature_hash")),), None
    try:
        data = read_content(content, canonical=False)
    except UnreadableContent as why:
        return (("content", why.said),), None
    version = data.get("content_version", 1)
    if version != signature.content_version:
        return (("content", Message("check.version", version=version, stored=signature.content_version)),), None
    problems: list[tuple[str, Message]] = []
    signed_procedure, stored_procedure = data["procedure"], _recorded(procedure.to_document())
    if signed_procedure != stored_procedure:
        keys = ", ".join(_differing(signed_procedure, stored_procedure))
        problems.append(("content", Message("check.procedure_differs", keys=keys)))
    person = _recorded(patient.to_document())
    for key in IDENTIFYING:
        if data["patient"].get(key) != person.get(key):
            name = Worded("MRN" if key == "mrn" else key.replace("_", " "), "ID" if key == "id" else PATIENT[key].zh)
            problems.append(("content", Message("check.patient_differs", field=name,
                                                signed=repr(data["patient"].get(key)), now=repr(person.get(key)))))
    manifestation = _recorded(_manifestation(signature))
    for key in _differing(data["signature"], manifestation):
        problems.append((key, Message("check.signature_differs", key=key, signed=repr(data["signature"].get(key)),
                                      stored=repr(manifestation.get(key)))))
    return tuple(problems), data


# -- the form a signature travels in (tace-log/2) -------------------------------------------------------------
def signature_document(signature: Signature, patient: Patient, procedure: Procedure) -> dict:
    """A signature as a tace-log/2 document writes it; a version-1 content is rebuilt from the record."""
    content = signature.content or content_v1(patient, procedure).decode("utf-8")
    return {"signer": signature.username, "signer_name": signature.signer, "signer_role": signature.role,
            "signed_at": signature.signed_at, "meaning": signature.meaning, "sha256": signature.content_sha256,
            "content": content}


def addendum_document(addendum: Addendum) -> dict:
    signature = addendum.signed()
    return {"text": addendum.text, "reason": addendum.reason, "signer": signature.username,
            "signer_name": addendum.author, "signed_at": addendum.created_at, "sha256": signature.content_sha256}


def entered_in_error_document(mark: EnteredInError) -> dict:
    signature = mark.signature
    return {"reason": mark.reason, "signer": signature.username, "signer_name": signature.signer,
            "signed_at": signature.signed_at, "sha256": signature.content_sha256}


def signature_from_document(doc: dict, content: dict | None = None) -> Signature:
    """A signature read from a document (checked by `envelope.check_document` first, `content` its content read), as
    made in another logbook."""
    version = (content if content is not None else json.loads(doc["content"])).get("content_version", 1)
    return Signature(signer=doc["signer_name"], username=doc["signer"], signed_at=doc["signed_at"],
                     meaning=doc["meaning"], content_sha256=doc["sha256"], role=doc["signer_role"],
                     content_version=version, content=doc["content"] if version != 1 else None,
                     signed_elsewhere=True)


def addendum_from_document(doc: dict, procedure_id: str, addendum_id: str = "") -> Addendum:
    return Addendum(id=addendum_id, procedure_id=procedure_id, text=doc["text"], reason=doc["reason"],
                    author=doc["signer_name"], created_at=doc["signed_at"],
                    signature=Signature(doc["signer_name"], doc["signer"], doc["signed_at"], ADDENDUM_MEANING,
                                        doc["sha256"], signed_elsewhere=True))


def entered_in_error_from_document(doc: dict, procedure_id: str) -> EnteredInError:
    return EnteredInError(procedure_id, doc["reason"], Signature(doc["signer_name"], doc["signer"], doc["signed_at"],
                                                                 ENTERED_IN_ERROR_MEANING, doc["sha256"],
                                                                 signed_elsewhere=True))


def document_findings(patient_doc: dict, procedure_doc: dict, path: str) -> list[Finding]:
    """Whether the signature and addenda a (valid) procedure of a document carries hold for that procedure and
    its patient: every hash against its content, the content against the record. Paths name the key."""
    signature_doc = procedure_doc["signature"]
    sig_path = join(path, "signature")
    for record, where in ((patient_doc, path.rsplit(".procedures", 1)[0]), (procedure_doc, path)):
        if not record.get("id"):
            return [Finding(join(where, "id"), ERROR, Message("signed_id"))]
    content = signature_doc["content"]
    if _sha256(content.encode("utf-8", "surrogatepass")) != signature_doc["sha256"]:
        return [Finding(join(sig_path, "sha256"), ERROR, Message("signature_hash"))]
    try:
        signature = signature_from_document(signature_doc, read_content(content))
    except UnreadableContent as why:
        return [Finding(join(sig_path, "content"), ERROR, Message("signature_content", problem=why.said))]
    patient, procedure = Patient.from_document(patient_doc), Procedure.from_document(procedure_doc)
    if signature.content is None and content.encode("utf-8") != content_v1(patient, procedure):
        return [Finding(join(sig_path, "content"), ERROR, Message("signature_content.v1", covers=V1_COVERS_WORDED))]
    addenda = [addendum_from_document(a, procedure.id) for a in procedure_doc.get("addenda") or []]
    mark = procedure_doc.get("entered_in_error")
    check = check_signature(signature, patient, procedure, addenda,
                            entered_in_error_from_document(mark, procedure.id) if mark is not None else None)
    return ([Finding(join(join(path, key), "sha256"), ERROR, Message("entered_in_error_hash"))
             if key == "entered_in_error" else
             Finding(join(sig_path, key), ERROR, Message("signature.content", problem=message, id=procedure.id,
                                                         name=patient.name, mrn=patient.mrn)
                     if key == "content" else Message("signature", problem=message))
             for key, message in check.problems]
            + [Finding(join(join(join(path, "addenda"), i), "sha256"), ERROR, Message("addendum_hash", problem=message))
               for i, message in sorted(check.addendum_problems.items())])


def carried_findings(doc: Any, findings: list[Finding]) -> list[Finding]:
    """Whether every signature and addendum a tace-log/2 document carries holds (`document_findings`), for each
    patient in which `findings` (the validator's, of the same document) name no error: a record that is not valid
    is not compared with what was signed. Import and `validate` add these to the validator's findings."""
    from .validation import FORMAT  # the rules load on first use, not at start-up

    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("patients"), list):
        return []
    invalid = {f.path.split(".", 1)[0] for f in findings if f.severity == ERROR}
    out = []
    for i, patient in enumerate(doc["patients"]):
        path = join("patients", i)
        if path in invalid or not isinstance(patient, dict):
            continue
        for j, procedure in enumerate(patient.get("procedures") or []):
            if procedure.get("signature") is not None:
                out += document_findings(patient, procedure, join(join(path, "procedures"), j))
    return out


def signing_findings(validator: Validator, patient: Patient, procedure: Procedure) -> list[Finding]:
    """Everything validation says about a procedure, plus the fields a draft may leave blank but a signed
    record may not (`required_to_sign` in the dictionary); a narrative of spaces only (kept as typed) is none."""
    findings = validator.procedure(procedure.to_document(), patient.to_document())
    for f in PROCEDURE.fields:
        value = getattr(procedure, f.key)
        if f.required_to_sign and not recorded(value.strip() if isinstance(value, str) else value):
            findings.append(Finding(join("", f.key), ERROR, Message("required_to_sign")))
    return findings
