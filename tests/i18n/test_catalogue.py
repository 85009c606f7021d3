"""The committed English catalogues (django.po for Python and templates, djangojs.po for our scripts): they
compile, and every message in them is translated, checked and kept intact.

Only what is in the committed django.po is checked: new strings that nobody has extracted yet are the job of
`make makemessages`, not of this test.
"""

import os
import re
import shutil
import subprocess

import pytest
from django.utils import translation

from tests.i18n.catalogue import CATALOGUES, CJK, JS_PO_PATH, PO_PATH, messages, problems, read_po

PO_PATHS = pytest.mark.parametrize("po_path", [po for po, _mo in CATALOGUES.values()], ids=list(CATALOGUES))


def _msgfmt():
    path = shutil.which("msgfmt")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (GNU gettext) is missing")
        pytest.skip("msgfmt (GNU gettext) is not installed")
    return path


def _msgfmt_statistics(path):
    return subprocess.run(
        [_msgfmt(), "--check-format", "--statistics", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
    )


@PO_PATHS
def test_catalogue_compiles_with_format_checks(po_path):
    result = _msgfmt_statistics(po_path)
    assert result.returncode == 0, result.stderr
    # msgfmt prints its statistics on stderr: only translated messages, no fuzzy or untranslated ones.
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr
    assert f"{len(messages(po_path))} translated messages" in result.stderr


@PO_PATHS
def test_header_names_english_with_two_plural_forms(po_path):
    header = read_po(po_path)[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags, "a fuzzy header is dropped by msgfmt, and the plural rule with it"
    assert "Language: en\n" in header.msgstr
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr
    assert "charset=UTF-8" in header.msgstr


def test_catalogue_has_the_messages_of_every_screen():
    assert len(messages()) > 1000
    text = PO_PATH.read_text(encoding="utf-8")
    for app in ("accounts", "cases", "web", "suggestions", "duty", "events", "consultations", "voters", "finder"):
        assert f"#: src/lianxin/{app}/" in text, f"no message of {app} in the catalogue"


@PO_PATHS
@pytest.mark.parametrize("kind", ["untranslated", "fuzzy", "placeholders", "chinese", "newline"])
def test_committed_catalogue_has_no(kind, po_path):
    found = problems(po_path)[kind]
    assert not found, f"{kind}:\n" + "\n".join(found)


REPO = PO_PATH.parents[5]  # src/lianxin/locale/en/LC_MESSAGES/django.po
SCRIPTS = sorted((REPO / "src" / "lianxin").glob("*/static/**/*.js"))  # ours: the vendor libraries are elsewhere
STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
COMMENT = re.compile(r"/\*.*?\*/|(?:^|(?<=\s))//[^\n]*", re.DOTALL)


def chinese_literals(source: str) -> list[str]:
    """The string literals with Chinese in a script, comments left out."""
    return [m.group()[1:-1] for m in STRING.finditer(COMMENT.sub("", source)) if CJK.search(m.group())]


def test_scripts_have_no_chinese_outside_the_js_catalogue():
    """Every Chinese string in our scripts is a msgid of djangojs.po (so it goes through gettext there)."""
    assert SCRIPTS, "no script found"
    msgids = {text for e in messages(JS_PO_PATH) for text in (e.msgid, e.msgid_plural) if text}
    stray = {
        str(path.relative_to(REPO)): [text for text in chinese_literals(path.read_text()) if text not in msgids]
        for path in SCRIPTS
    }
    assert {path: texts for path, texts in stray.items() if texts} == {}


def test_chinese_literals_are_found_and_comments_skipped():
    source = 'say("正在查找…"); /* 注释 "引号" */ x = gettext(\'网格\'); // 注释 "引号"\nurl = "http://例子";'
    assert chinese_literals(source) == ["正在查找…", "网格", "http://例子"]


def test_js_catalogue_has_the_messages_of_every_script_with_gettext():
    text = JS_PO_PATH.read_text(encoding="utf-8")
    using = [path for path in SCRIPTS if "gettext(" in path.read_text()]
    assert len(using) >= 4
    for path in using:
        assert f"#: {path.relative_to(REPO)}:" in text, f"{path.name} is not in djangojs.po"


BROKEN_PO = r"""# A catalogue with one of each mistake.
msgid ""
msgstr ""
"Language: en\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: src/lianxin/web/x.py:1
msgid "已受理"
msgstr "Registered"

#: src/lianxin/web/x.py:2
msgid "未翻译"
msgstr ""

#: src/lianxin/web/x.py:3
#, fuzzy, python-format
msgid "共 %(n)s 件"
msgstr "%(n)s matters"

#: src/lianxin/web/x.py:4
#, python-format
msgid "已登记，查询码 %(code)s。"
msgstr "Registered, tracking code %(cdoe)s."

#: src/lianxin/web/x.py:5
msgid "<strong>注意</strong>"
msgstr "Note"

#: src/lianxin/web/x.py:6
msgid "办结"
msgstr "办结"

#: src/lianxin/web/x.py:7
#, python-format
msgid "%(n)s 位代表"
msgid_plural "%(n)s 位代表"
msgstr[0] "one deputy"
msgstr[1] ""

#: src/lianxin/web/x.py:8
msgid ""
"第一行\n"
"第二行\n"
msgstr "First line, second line"

#~ msgid "旧的"
#~ msgstr ""
"""


def test_problems_are_found_in_a_broken_catalogue(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(BROKEN_PO, encoding="utf-8")
    found = problems(path)
    assert messages(path)[0].msgid == "已受理"
    assert len(messages(path)) == 8, "the header and the obsolete entry are not messages"
    assert [line.split(": ", 1)[1] for line in found["untranslated"]] == ["'未翻译'", "'%(n)s 位代表'"]
    assert [line.split(": ", 1)[1] for line in found["fuzzy"]] == ["'共 %(n)s 件'"]
    assert len(found["placeholders"]) == 2
    assert "%(cdoe)s" in found["placeholders"][0] and "<strong>" in found["placeholders"][1]
    assert found["chinese"] == ["line 31: '办结' -> ['办结']"]
    assert found["newline"] == ["line 42: '第一行\\n第二行\\n'"]
    result = _msgfmt_statistics(path)
    # msgfmt fails on the changed placeholder and the lost newline, and counts the fuzzy and empty entries (it
    # counts a plural with one empty form as translated, which the reader above does not).
    assert result.returncode != 0 and "2 fatal errors" in result.stderr
    assert "1 fuzzy translation, 1 untranslated message" in result.stderr


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("已受理", "Registered"),
        ("交办", "Dispatch"),
        ("签收", "Claim"),
        ("退回", "Return"),
        ("提级", "Escalate"),
        ("不予受理", "Declined"),
        ("催办", "Urge"),
        ("履职积分", "Performance points"),
        ("部门工作评议", "Department appraisal"),  # the menu says "Appraisal" (context "menu")
        ("驾驶舱", "Cockpit"),
        ("代表建议", "Deputy suggestions"),
        ("值班表", "Duty roster"),
        ("联系选民", "Voter contact"),
    ],
)
def test_glossary_terms_are_used(chinese, english):
    with translation.override("en"):
        assert translation.gettext(chinese) == english


def test_a_count_of_dispatched_matters_is_not_the_action():
    # the action (a button, an audit line) is "Dispatch"; a table column counting them is "Dispatched"
    with translation.override("en"):
        assert (translation.gettext("交办"), translation.pgettext("count", "交办")) == ("Dispatch", "Dispatched")
    with translation.override("zh-hans"):
        assert translation.pgettext("count", "交办") == "交办"


def test_plural_forms_follow_the_number():
    with translation.override("en"):
        one = translation.ngettext("共 %(n)s 条", "共 %(n)s 条", 1) % {"n": 1}
        many = translation.ngettext("共 %(n)s 条", "共 %(n)s 条", 3) % {"n": 3}
    assert (one, many) == ("1 record", "3 records")
    with translation.override("zh-hans"):
        assert translation.ngettext("共 %(n)s 条", "共 %(n)s 条", 3) % {"n": 3} == "共 3 条"
