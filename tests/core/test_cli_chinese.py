"""The CLI says what it did in Chinese with --lang zh (or TACE_LOG_LANG=zh, or a Chinese locale), the real command
in a process of its own: every line a person reads has Chinese in it; ids, paths and numbers stay as they are.
(`tace-log protocol` prints the protocol file's own summary lines as written, in English: not checked here.)"""

from __future__ import annotations

import argparse
import re

import pytest

from tace_log.cli import build_parser
from tace_log.cli.output import use_language
from tace_log.messages import EN, ZH
from tests.core.export_support import export_logbook
from tests.core.signing_support import PASSWORD
from tests.core.test_cli import run_cli

CJK = re.compile(r"[\u3400-\u9fff]")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _english_lines(text: str) -> list[str]:
    """Lines with words but no Chinese: a sentence left in English."""
    return [line for line in _lines(text) if not CJK.search(line) and re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", line)]


@pytest.fixture
def site(tmp_path):
    path = tmp_path / "site.sqlite"
    export_logbook(path).close()
    return path


@pytest.mark.parametrize("command", [
    ["show", "HS-2024-0007"],
    ["list"],
    ["backups"],
    ["check"],
    ["due"],
    ["eligibility"],
    ["audit", "verify"],
])
def test_each_command_speaks_chinese_with_lang_zh(site, command):
    out = run_cli("--db", str(site), "--lang", "zh", *command)
    assert out.returncode == 0, out.stderr
    said = out.stdout + out.stderr
    assert CJK.search(said), said
    assert not _english_lines(said), _english_lines(said)


def test_tace_log_lang_and_a_chinese_locale_choose_chinese_and_lang_en_wins(site):
    for env in ({"TACE_LOG_LANG": "zh"}, {"LANG": "zh_CN.UTF-8", "TACE_LOG_LANG": ""}):
        out = run_cli("--db", str(site), "list", env=env)
        assert "共2例手术，显示2例" in out.stderr, out.stderr
    out = run_cli("--db", str(site), "--lang", "en", "list", env={"TACE_LOG_LANG": "zh"})
    assert "2 of 2 procedures" in out.stderr


def test_an_error_and_the_findings_of_a_refused_import_are_said_in_chinese(site, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "tace-log/2", "patients": [{"mrn": "X1", "name": "王", "weight_kg": -3}]}',
                   encoding="utf-8")
    out = run_cli("--db", str(site), "--lang", "zh", "import", str(bad))
    assert out.returncode == 2
    assert "错误" in out.stderr and not _english_lines(out.stderr), out.stderr
    out = run_cli("--db", str(site), "--lang", "zh", "show", "NO-SUCH")
    assert out.returncode == 1 and CJK.search(out.stderr), out.stderr


def test_machine_output_is_the_same_in_both_languages(site):
    english = run_cli("--db", str(site), "due", "--json")
    chinese = run_cli("--db", str(site), "--lang", "zh", "due", "--json")
    assert english.stdout == chinese.stdout and english.stdout.strip().startswith("[")


# Tokens a Chinese line may hold without Chinese: ids, hashes, numbers, times, user and printed names, paths.
_TOKEN = re.compile(r"[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{64}|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}"
                    r"|[\d.:+-]+|SHA-256|chen|/\S+")


def _untranslated(text: str) -> list[str]:
    """Lines without Chinese but for the signer's name that hold more than the tokens (a sentence or a word left in
    English: 'signed procedure … by 陈伟 Chen Wei', 'radiologist')."""
    lines = [line.replace("陈伟 Chen Wei", " ") for line in _lines(text)]
    return [line for line in lines if not CJK.search(line) and re.search(r"[A-Za-z]{2,}", _TOKEN.sub(" ", line))]


def test_signing_and_the_users_and_history_speak_chinese_with_local_times_in_shanghai(site):
    """sign, addendum, entered-in-error, user list, history, show and backups in zh on a workstation in Shanghai:
    every line Chinese but for ids, names and numbers; every time the local one with +08:00, none in UTC."""
    env = {"TZ": "Asia/Shanghai", "TACE_LOG_PASSWORD": PASSWORD}
    draft = next(line.split("\t")[-1] for line in run_cli("--db", str(site), "list").stdout.splitlines()
                 if "\tdraft\t" in line)
    assert run_cli("--db", str(site), "backup", env=env).returncode == 0
    said = []
    for command in (["sign", draft, "--user", "chen", "--acknowledge-warnings"],
                    ["addendum", draft, "--user", "chen", "--reason", "迟发并发症", "--text", "术后第3天发热"],
                    ["entered-in-error", draft, "--user", "chen", "--reason", "患者错误"],
                    ["user", "list"], ["history", draft], ["show", draft], ["backups"]):
        out = run_cli("--db", str(site), "--lang", "zh", *command, env=env)
        assert out.returncode == 0, (command, out.stderr)
        text = out.stdout + out.stderr
        assert CJK.search(text) and not _untranslated(text), (command, _untranslated(text))
        assert not re.search(r"\d{2}:\d{2}:\d{2}(Z|\s*UTC)", text), (command, text)
        said.append(text)
    sign, addendum, marked, users, history, show, backups = said
    for text in (sign, addendum, marked, history, show, backups):
        assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00", text), text
    assert "审核并签名 陈伟 Chen Wei" in sign and "放射科医师" in users
    assert "签名：审核并签名 陈伟 Chen Wei（chen，放射科医师）" in show and "录入错误 " in show
    assert "更改 手术 · 状态：草稿 -> 已签名" in history
    listed = run_cli("--db", str(site), "--lang", "zh", "list", env=env).stdout
    assert "\t已签名，录入错误\t" in listed and "\tdraft\t" not in listed  # the status in its words
    # what a program reads keeps UTC
    exported = run_cli("--db", str(site), "export", env=env).stdout
    assert re.search(r'"signed_at": "\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"', exported), exported[:500]


# What a help line holds that is written the same in both languages, left out before it is looked at for English:
# option spellings, metavars and choices (`-o PATH, --output PATH`, `{json,csv}`), the commands' names as listed,
# file names (`tace-log.sqlite`).
_OPTION = re.compile(r"\[?--?[\w-]+(?:[ =](?:[A-Z][A-Z_]*(?:\.[a-z]+)?|\{[^}]*\}))?\]?,?|\{[^}]*\}|\.\.\."
                     r"|\b[A-Z][A-Z_]+(?:\.[a-z]+)?\b|^ {4}[a-z-]+(?= {2}|$)|[\w/-]+\.[a-z]+\b")


@pytest.mark.parametrize("command", [[], ["export"], ["sign"], ["dose-import"], ["user", "add"], ["audit", "verify"],
                                     ["backup"]])
def test_the_help_is_in_chinese_with_lang_zh_argparse_words_too(command):
    out = run_cli("--lang", "zh", *command, "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("用法：tace-log") and "选项:" in out.stdout and "显示此帮助信息并退出" in out.stdout
    english = [line for line in _lines(out.stdout) if _english_lines(_OPTION.sub(" ", line))
                                                     or _untranslated(_OPTION.sub(" ", line))]
    assert not english, english


def test_the_language_of_the_help_is_chosen_as_the_commands_and_english_help_is_as_it_was():
    assert "导出整个日志" in run_cli("--lang=zh", "--help").stdout
    assert "导出整个日志" in run_cli("--help", env={"TACE_LOG_LANG": "zh"}).stdout
    assert "导出整个日志" in run_cli("--help", env={"TACE_LOG_LANG": "", "LC_ALL": "zh_CN.UTF-8"}).stdout
    english = run_cli("--lang", "en", "--help", env={"TACE_LOG_LANG": "zh"}).stdout
    for line in ("usage: tace-log [-h]", "TACE Log: the TACE procedure logbook.", "positional arguments:", "options:",
                 "show this help message and exit", "export the whole logbook: tace-log/2 JSON with signatures"):
        assert line in english, english
    assert not CJK.search(english)
    sign = run_cli("--lang", "en", "sign", "--help").stdout
    assert "the signing radiologist" in sign and "sign although validation warns" in sign
    assert run_cli("--lang", "xx", "--help").returncode == 2  # the parser still checks --lang


def _parsers(parser):
    """The parser and every command's, `user add` and `audit verify` included."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_commands_help_is_in_chinese():
    use_language(ZH)
    try:
        helps = [p.format_help() for p in _parsers(build_parser())]
    finally:
        use_language(EN)
    assert len(helps) > 35
    english = [line for text in helps for line in _lines(text)
               if _english_lines(_OPTION.sub(" ", line)) or _untranslated(_OPTION.sub(" ", line))]
    assert not english, english


@pytest.mark.parametrize(("command", "said"), [
    (["export", "--format", "xml"], "无效的选择：'xml'"),
    (["sign"], "缺少以下必需的参数：PROCEDURE_ID, --user"),
    (["list", "--bogus"], "无法识别的参数：--bogus"),
])
def test_argparse_refusals_are_said_in_chinese_and_stay_english_in_english(site, command, said):
    out = run_cli("--db", str(site), "--lang", "zh", *command)
    assert out.returncode == 2 and said in out.stderr, out.stderr
    assert "error:" not in out.stderr and "用法：" in out.stderr
    english = run_cli("--db", str(site), "--lang", "en", *command)
    assert english.returncode == 2 and "error:" in english.stderr and "usage:" in english.stderr, english.stderr
