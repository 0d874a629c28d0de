"""The commands a run's ending suggests, quoted for the shell of the platform they are
printed on, so that pasted as printed they work."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from automation.evidence.commands import Recall, command_line, restore_command, status_command

JANE = r"C:\Users\Jane Doe\licenses\backup (old).lic"


def test_a_windows_path_with_spaces_is_one_word_at_the_windows_prompt() -> None:
    line = command_line(["sc-license", "restore", "--from", JANE], shell="windows")

    # cmd and PowerShell both take a double-quoted path as one word, backslashes as they are.
    assert line == rf'sc-license restore --from "{JANE}"'


WINDOWS_PATHS = [JANE, r"C:\runs\R&D (2026)", r"C:\runs;x", r'C:\my "best" runs', "D:\\Jane Doe\\"]


@pytest.mark.parametrize("path", WINDOWS_PATHS)
def test_a_windows_path_comes_back_whole_and_out_of_the_shells_reach(path: str) -> None:
    line = command_line(["sc-license", "restore", "--from", path], shell="windows")

    words, bare = c_runtime_argv(line)
    assert words == ["sc-license", "restore", "--from", path]
    assert not set(bare) & set("&|<>^();,{}@"), "cmd or PowerShell would read these"


def c_runtime_argv(line: str) -> tuple[list[str], str]:
    """The words a Windows program's C runtime makes of its command line (backslashes are
    literal but before a quote, where 2n+1 of them make n and a quote), and the characters
    outside quotes, where a shell reads them first."""
    words: list[str] = []
    word, bare, inside, started, i = "", "", False, False, 0
    while i < len(line):
        if line[i] == "\\":
            n = len(line[i:]) - len(line[i:].lstrip("\\"))
            quote_follows = line[i + n : i + n + 1] == '"'
            word += "\\" * (n // 2 if quote_follows else n) + (
                '"' if quote_follows and n % 2 else ""
            )
            i += n + (1 if quote_follows and n % 2 else 0)
        elif line[i] == '"':
            inside, i = not inside, i + 1
        elif line[i] in " \t" and not inside:
            if started:
                words.append(word)
            word, started, i = "", False, i + 1
            continue
        else:
            bare += "" if inside else line[i]
            word, i = word + line[i], i + 1
        started = True
    return [*words, word] if started else words, bare


def test_a_plain_word_stays_bare_at_the_windows_prompt() -> None:
    assert command_line(["sc-license", "status", "--env", "prod"], shell="windows") == (
        "sc-license status --env prod"
    )


def test_a_posix_path_with_spaces_and_quotes_splits_back_into_the_same_words() -> None:
    words = ["sc-license", "restore", "--from", "/home/jane/Jane's runs/backup.lic"]

    line = command_line(words, shell="posix")

    assert shlex.split(line) == words


def test_the_restore_command_names_the_backup_and_evidence_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "evidence of Jane"
    backup = out / "run 1" / "backup.lic"
    recall = Recall(
        environment="prod", url="https://sc.example/ServiceCenter", user="admin", out=out
    )

    posix = shlex.split(restore_command(recall, backup, shell="posix"))
    windows = restore_command(recall, backup, shell="windows")

    assert posix[posix.index("--from") + 1] == str(backup)
    assert posix[posix.index("--out") + 1] == str(out)
    assert f'--from "{backup}"' in windows and f'--out "{out}"' in windows


def test_the_commands_after_a_run_with_a_site_profile_read_the_page_with_it_again(
    tmp_path: Path,
) -> None:
    profile = tmp_path / "site-profile.toml"
    recall = Recall(
        environment="prod",
        url="https://sc.example/ServiceCenter",
        user="admin",
        out=tmp_path,
        profile=profile,
    )

    for line in (
        status_command(recall, "posix"),
        restore_command(recall, tmp_path / "backup.lic", "posix"),
    ):
        words = shlex.split(line)
        assert words[words.index("--profile") + 1] == str(profile)
