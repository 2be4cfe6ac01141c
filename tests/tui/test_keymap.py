"""One keymap for the whole app: a letter means the same on every screen and dialog, and the key list
(`?`) and the README's 主な操作 table show that keymap."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.screen import Screen

import selfcheck.tui
from selfcheck.tui.keys import KEYMAP, key_of

README = Path(__file__).resolve().parents[2] / "README.md"
OTHER_TEAMS = {"selfcheck.tui.screens.policy_import"}  # owned by the policy-import work; checked there


def _screens() -> list[type[Screen[object]]]:
    found = []
    for mod in pkgutil.walk_packages(selfcheck.tui.__path__, "selfcheck.tui."):
        if mod.name in OTHER_TEAMS:
            continue
        module = importlib.import_module(mod.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_letter_means_one_thing_everywhere() -> None:
    by_key = {k: name for name, verb in KEYMAP.items() for k in verb.keys.split(",")}
    assert len(by_key) == sum(len(v.keys.split(",")) for v in KEYMAP.values()), "a key is in two verbs"
    problems = []
    for cls in _screens():
        for b in cls.BINDINGS:
            if not isinstance(b, Binding):
                continue
            for key in b.key.split(","):
                if not (len(key) == 1 and key.isalpha()):
                    continue  # digits choose numbered options; Esc, Enter, Ctrl+… are checked by words
                if key == "q" and b.action == "quit":
                    continue  # q quits outside an input field (the app's Ctrl+Q without Ctrl)
                verb = by_key.get(key)
                if verb is None:
                    problems.append(f"{cls.__name__}: {key!r} ({b.description}) is not in the keymap")
                elif b.description not in KEYMAP[verb].words:
                    problems.append(
                        f"{cls.__name__}: {key!r} says {b.description!r}, the keymap says {KEYMAP[verb].words}"
                    )
    assert problems == []


def test_s_p_o_no_longer_change_meaning() -> None:
    """The three letters the issue named: s was 集計/署名/省略, p and o changed too."""
    assert KEYMAP["summary"].keys == "s" and KEYMAP["sign"].keys != "s" and KEYMAP["skip"].keys != "s"
    assert KEYMAP["report"].keys == "p" and KEYMAP["print"].keys != "p"
    assert KEYMAP["open_pdf"].keys == "o"


def test_readme_lists_the_keymap() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### 主な操作") :]
    section = section[: section.index("\n### ", 4)]
    for name, verb in KEYMAP.items():
        assert f"| {key_of(name)} |" in section, f"README 主な操作 lacks {name} ({key_of(name)})"
        assert verb.help in section, f"README 主な操作: {key_of(name)} should say {verb.help!r}"
