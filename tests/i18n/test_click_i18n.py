"""Click's hard-coded error messages are re-said through our catalogs, fields intact."""

from __future__ import annotations

import pytest

from repairdesk.cli.click_i18n import translate_message


@pytest.mark.parametrize("english, chinese", [
    ("Missing argument 'NO'.", "缺少参数 'NO'。"),
    ("No such option: --bogus", "没有选项：--bogus"),
    ("Invalid value for '--limit': Input should be a valid integer, unable to parse string",
     "'--limit' 的值无效：请输入整数。"),
    ("Got unexpected extra argument (x y)", "多余的参数（x y）"),
    ("Option '--to' requires an argument.", "选项 '--to' 需要一个值。"),
    ("something Click never says", "something Click never says"),
])
def test_chinese(english: str, chinese: str):
    assert translate_message(english) == chinese


def test_english_is_kept_in_english(english):
    assert translate_message("Missing argument 'NO'.") == "Missing argument 'NO'."
    assert translate_message("Invalid value for '--limit': Input should be a valid integer") == (
        "Invalid value for '--limit': Enter a whole number.")


def test_help_and_errors_in_chinese(cli):
    r = cli("ticket", "show")
    assert r.code == 2
    assert "用法：repairdesk ticket show [选项]" in r.stderr
    assert "错误：缺少参数" in r.stderr
    h = cli("staff", "--help")
    assert "选项：" in h.stdout and "显示本帮助并退出。" in h.stdout and "命令：" in h.stdout
    e = cli("staff", "--help", lang="en", env={"REPAIRDESK_LANG": "en"})
    assert "Options:" in e.stdout and "Show this message and exit." in e.stdout
