"""The message catalogue: every text the core says has an English and a Chinese entry with the same parameters,
every finding and error names one, and a Chinese rendering is Chinese with nothing left unfilled."""

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import tace_log
from tace_log.dictionary import ENTITIES
from tace_log.errors import InvalidInputError, NotPermittedError, TaceLogError
from tace_log.findings import ERROR, Finding
from tace_log.messages import CATALOGUE, Message, cli_wording, parameters, render
from tace_log.users import ROLES
from tace_log.validation import Validator

CORE = Path(tace_log.__file__).parent
CJK = re.compile(r"[\u3400-\u9fff]")
# Where a message's key is not written at the call: each of these passes on a key written as a literal by its
# callers, or builds it from a closed set checked below (roles). A new one is added here deliberately.
INDIRECT_KEYS = {
    ("errors.py", "_detail"),  # an error's class name: every class is checked below
    ("envelope.py", "_signed_form"),  # "type.signature" / "type.addendum", from its two callers
    ("storage/signatures.py", "refuse_if_signed"),  # "what.changed" / "what.signed_again"
    ("storage/signatures.py", "_signer"),  # "action.sign" / "action.sign_addendum"
    ("storage/accounts.py", "role_named"),  # "role.<role>" for each of users.ROLES
    ("validation.py", "_type_problem"),  # a refused choice's reason: each `Field.refused` is checked below
}


def _calls():
    """(file, innermost enclosing function, call) for every `Message(...)` and `Finding(...)` in the core."""
    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) \
                    and child.func.id in ("Message", "Finding"):
                yield function, child
            yield from visit(child, child.name if isinstance(child, ast.FunctionDef) else function)

    for path in sorted(CORE.rglob("*.py")):
        for function, call in visit(ast.parse(path.read_text(encoding="utf-8")), ""):
            yield path.relative_to(CORE).as_posix(), function, call


def _literal_keys(expression):
    """The keys an expression can be, when they are written in it (a literal, `a if c else b`, a dict's values)."""
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return [expression.value]
    if isinstance(expression, ast.IfExp):
        body, orelse = _literal_keys(expression.body), _literal_keys(expression.orelse)
        return body + orelse if body is not None and orelse is not None else None
    if isinstance(expression, ast.Call) and isinstance(expression.func, ast.Attribute) \
            and isinstance(expression.func.value, ast.Dict):  # {...}.get(role, "default")
        keys = [_literal_keys(v) for v in [*expression.func.value.values, *expression.args[1:]]]
        return None if any(k is None for k in keys) else [k for ks in keys for k in ks]
    return None


def test_every_message_the_core_says_has_an_entry_with_its_parameters():
    seen, indirect = 0, set()
    for where, function, call in _calls():
        if call.func.id == "Finding":  # what a finding says is a Message, made here or by the validator's checks
            said = call.args[2] if len(call.args) > 2 else None
            assert said is None or isinstance(said, (ast.Call, ast.Name, ast.IfExp)) \
                or isinstance(call.args[-1], ast.Starred), f"{where}:{call.lineno}: a finding says a Message"
            continue
        keys = _literal_keys(call.args[0])
        if keys is None:
            assert (where, function) in INDIRECT_KEYS, f"{where}:{call.lineno}: a message key not written here"
            indirect.add((where, function))
            continue
        given = {k.arg for k in call.keywords}
        for key in keys:
            assert key in CATALOGUE, f"{where}:{call.lineno}: no catalogue entry {key!r}"
            assert given == parameters(CATALOGUE[key][0]), f"{where}:{call.lineno}: {key} takes other parameters"
            seen += 1
    assert seen > 140  # the scan is real
    assert indirect == INDIRECT_KEYS  # none listed that is gone


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_each_entry_has_english_and_chinese_with_the_same_parameters(key):
    en, zh = CATALOGUE[key]
    assert en.strip() and zh.strip()
    assert parameters(en) == parameters(zh)
    if re.sub(r"\{[^}]*\}|[\W_]", "", zh):  # more than its parameters and punctuation: worded in Chinese
        filled = render(key, "zh", **{name: "x" for name in parameters(zh)})
        assert CJK.search(filled) and "{" not in filled and "}" not in filled, filled


def _error_classes():
    for module in pkgutil.walk_packages(tace_log.__path__, "tace_log."):
        importlib.import_module(module.name)
    found, todo = set(), [TaceLogError]
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("tace_log.") and cls not in found:
            found.add(cls)
            todo += cls.__subclasses__()
    return found


def test_every_error_class_of_the_core_has_an_entry():
    classes = _error_classes()
    assert {"LogbookError", "RecordLockedError", "SettingsError"} <= {c.__name__ for c in classes}
    for cls in classes:
        assert cls.__name__ in CATALOGUE, cls
        assert parameters(CATALOGUE[cls.__name__][0]) in ({"detail"}, {"summary", "first", "more"}), cls


def test_the_keys_built_from_a_closed_set_have_entries():
    for role in ROLES:
        assert f"role.{role}" in CATALOGUE
    for entity in ENTITIES:
        for f in entity.fields:
            for _value, key in f.refused:
                assert key in CATALOGUE and not parameters(CATALOGUE[key][0]), (f.key, key)
    for key in ("type.signature", "type.addendum", "what.changed", "what.signed_again", "action.sign",
                "action.sign_addendum"):
        assert key in CATALOGUE


def _chinese(text: str) -> None:
    assert CJK.search(text) and not re.search(r"[{}]", text), text


def test_the_findings_of_a_bad_record_read_in_chinese_and_in_the_same_english():
    patient = {"mrn": "H1", "name": "王芳", "sex": "F", "birth_date": "1960-01-01", "resection_date": "2026-01-10",
               "weight_kg": 900, "arm": "nope", "bogus": 1}
    procedure = {"date": "2026-01-05", "cycle": 1, "tumor_staining": "present", "embolization": "bland_embolization",
                 "selectivity": "whole_liver", "technical_success": "partial", "contrast_ml": "lots",
                 "agents": [{"agent": "epirubicin", "dose": 500, "unit": "mg"},
                            {"agent": "doxorubicin", "dose": -1, "unit": "mg", "particle_min_um": 100}],
                 "complications": [{"term": "death", "sir_class": "death", "ctcae_grade": 2}]}
    findings = Validator().patient({**patient, "procedures": [procedure]})
    assert len({f.code for f in findings}) >= 8
    for finding in findings:
        _chinese(finding.text("zh"))
        assert finding.message == str(finding.said) == finding.text("en") and not CJK.search(finding.message)
    dose = next(f for f in findings if f.code == "dose_limit")
    assert dose.message == "500 mg of epirubicin is above the limit of 150 mg per session"
    assert dose.text("zh") == "表柔比星 500 mg超过每次治疗上限150 mg"


def test_a_field_label_in_a_message_is_in_the_messages_language():
    findings = Validator().procedure({"date": "2026-01-05", "tumor_staining": "absent", "stained_segments": ["VI"]})
    [not_applicable] = [f for f in findings if f.code == "not_applicable"]
    assert not_applicable.message.startswith("Stained segments is recorded only when tumour staining is present or")
    assert "染色肝段" in not_applicable.text("zh") and "有或可疑" in not_applicable.text("zh")


def test_an_error_says_its_message_in_english_and_in_chinese():
    refused = InvalidInputError([Finding("agents[0].dose", ERROR, Message("dose_not_positive")),
                                 Finding("date", ERROR, Message("required"))], Message("summary.not_saved"))
    assert str(refused) == "not saved: agents[0].dose: must be > 0 (and 1 more)"
    assert refused.text("zh") == "未保存：药物/栓塞剂 1 · 剂量：必须大于0（另有1项）"
    plain = NotPermittedError("li may not")  # an English detail: said by its class
    assert str(plain) == "li may not" and plain.text("zh") == "无权限：li may not"
    worded = NotPermittedError(Message("error.only_radiologist", username="li", role=Message("role.nurse"),
                                       action=Message("action.sign")))
    assert str(worded) == "li is a nurse: only a radiologist may sign"
    _chinese(worded.text("zh"))
    assert "护士" in worded.text("zh")


# -- a radiologist never needs a terminal -----------------------------------------------------------------------
ROOT = CORE.parent
NAMES_THE_CLI = re.compile(r"tace-log |(?<![\w-])--[a-z]")  # `tace-log user add`, `--despite`


def test_no_message_the_app_can_show_names_a_cli_command_or_option():
    """Only the CLI's own entries (`cli.*`) name a command or an option, and only the CLI's code names one of
    them; every other entry is one the core may raise in the app."""
    named = [(key, text) for key, texts in CATALOGUE.items() if not key.startswith("cli.") for text in texts
             if NAMES_THE_CLI.search(text)]
    assert not named, named
    for path in [*CORE.rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        if path.is_relative_to(CORE / "cli") or path == CORE / "messages.py":
            continue
        assert not re.search(r"""["']cli\.""", path.read_text(encoding="utf-8")), f"{path} says a CLI line"
    # the app's own words too (its tr() strings, extracted, and their Chinese)
    ts = (ROOT / "resources" / "translations" / "tace_log_zh_CN.ts").read_text(encoding="utf-8")
    said = re.findall(r"<(?:source|translation)>(.*?)</", ts, re.DOTALL)
    assert len(said) > 500 and not [text for text in said if NAMES_THE_CLI.search(text)]


def test_the_cli_says_its_words_where_the_app_says_its_own():
    """A `cli.KEY` beside a KEY is said in its place by the CLI (`cli_wording`), with the same parameters; the app
    is told the menu, the CLI the command."""
    twins = [key for key in CATALOGUE if key.startswith("cli.") and key[4:] in CATALOGUE]
    assert {"cli.username_taken.inactive", "cli.error.backup_unverified", "cli.error.no_study_id"} <= set(twins)
    for key in twins:
        assert parameters(CATALOGUE[key][0]) == parameters(CATALOGUE[key[4:]][0]), key
    refused = NotPermittedError(Message("error.must_change_password_to", username="li",
                                        action=Message("action.sign")))
    assert str(refused) == refused.text("en") == ("li's password was set by someone else: choose your own before "
                                                  "you sign (File > Change password)")
    assert refused.text("zh") == "li的密码是由他人设置的：签名前请先设置自己的密码（文件 > 修改密码）"
    with cli_wording():
        assert refused.text("en").endswith("choose your own before you sign (tace-log user passwd li)")
        assert refused.text("zh").endswith("签名前请先设置自己的密码（tace-log user passwd li）")
    assert refused.text("en").endswith("(File > Change password)")  # only while the CLI says it
