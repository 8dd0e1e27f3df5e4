"""Settings kept in claimcheck.toml (issue 15 item 2): found in the folder, above it or in the
user's config folder; flags win over the files, the files over the environment, those over the
login name; `claimcheck config` says what is in force and where from; a bad file is one line
naming the file, line and key."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from claims import audit, store

from .conftest import SAMPLE

DESK = """\
reviewer = "李明"
organisation = "示例事实核查中心"
review_url = "https://factcheck.example.org/reviews"
rules = ["house-rules"]
"""
PACK = ("kind: ranking\nrules:\n  - id: house.champion\n    pattern: '夺冠'\n    normalizer: ranking\n"
        "    examples:\n      match:\n        - {text: 球队夺冠, trigger: 夺冠}\n")


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A desk's folder with its claimcheck.toml and house rules, a story folder below it, and a
    user config folder of its own (XDG_CONFIG_HOME) so that the machine's never applies."""
    (tmp_path / "claimcheck.toml").write_text(DESK, encoding="utf-8")
    (tmp_path / "house-rules").mkdir()
    (tmp_path / "house-rules" / "house.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "stories").mkdir()
    (tmp_path / "config" / "claimcheck").mkdir(parents=True)
    return tmp_path


def env(desk: Path, **more: str) -> dict[str, str]:
    return {"XDG_CONFIG_HOME": str(desk / "config"), "CLAIMCHECK_REVIEWER": "", **more}


def config_lines(cli, desk: Path, *flags: str, where: str = "stories", **more: str) -> list[str]:
    r = cli("config", *flags, cwd=desk / where, env=env(desk, **more))
    assert r.returncode == 0, r.stderr
    return r.stdout.decode().splitlines()


def test_config_prints_each_setting_and_where_it_came_from(cli, desk):
    user = desk / "config" / "claimcheck" / "claimcheck.toml"
    user.write_text('jobs = 2\nreviewer = "li.ming"\n', encoding="utf-8")
    here = desk / "claimcheck.toml"
    assert config_lines(cli, desk) == [
        f'reviewer = "李明"  # {here}:1',  # the nearer file wins over the user's own
        f'organisation = "示例事实核查中心"  # {here}:2',
        f'review_url = "https://factcheck.example.org/reviews"  # {here}:3',
        f'rules = ["{desk / "house-rules"}"]  # {here}:4',  # relative to the file, not to where we are
        f"jobs = 2  # {user}:1",
        f"# read: {here}, {user}",
    ]


def test_flags_win_over_files_files_over_the_environment_and_that_over_the_login(cli, desk, tmp_path_factory):
    assert config_lines(cli, desk, "--reviewer", "王芳", "--jobs", "3", CLAIMCHECK_REVIEWER="env-name")[0::4] == [
        'reviewer = "王芳"  # --reviewer', "jobs = 3  # --jobs"]
    assert config_lines(cli, desk, CLAIMCHECK_REVIEWER="env-name")[0] == f'reviewer = "李明"  # {desk / "claimcheck.toml"}:1'
    lone = tmp_path_factory.mktemp("lone")  # no claimcheck.toml here or above
    r = cli("config", cwd=lone, env=env(desk, CLAIMCHECK_REVIEWER="env-name"))
    assert r.stdout.decode().splitlines()[0] == 'reviewer = "env-name"  # $CLAIMCHECK_REVIEWER'
    r = cli("config", cwd=lone, env=env(desk))
    lines = r.stdout.decode().splitlines()
    assert lines[0].endswith("# login name")
    assert lines[1:3] == ["# organisation: not set (give --org, or set it in claimcheck.toml)",
                          "# review_url: not set (give --review-url, or set it in claimcheck.toml)"]
    assert lines[-1] == f"# no claimcheck.toml in this folder, above it, or in {desk / 'config' / 'claimcheck'}"


def reviewed(cli, desk: Path, *flags: str, **more: str) -> tuple[str, str]:
    """Extract the sample in the story folder, mark its first claim: (who the log names, its rule ids)."""
    story = desk / "stories"
    shutil.copy(SAMPLE, story / "a.txt")
    (story / "a.txt").write_text((story / "a.txt").read_text(encoding="utf-8") + "主队时隔十年再次夺冠。\n",
                                 encoding="utf-8")
    r = cli("extract", "a.txt", "-o", "a.claims.yaml", cwd=story, env=env(desk, **more))
    assert r.returncode == 0, r.stderr
    cf = store.load(story / "a.claims.yaml")
    r = cli("mark", "a.claims.yaml", cf.claims[0].id, "verified", *flags, cwd=story, env=env(desk, **more))
    assert r.returncode == 0, r.stderr
    return audit.read(audit.log_path(story / "a.claims.yaml")).events[-1].reviewer, " ".join(c.rule for c in cf.claims)


def test_the_files_reviewer_and_rules_are_used_by_the_commands(cli, desk):
    who, rules = reviewed(cli, desk, CLAIMCHECK_REVIEWER="env-name")
    assert who == "李明"
    assert "house.champion" in rules.split()  # the house rules named in the file, found from below it


def test_a_flag_still_wins_over_the_file(cli, desk):
    who, _ = reviewed(cli, desk, "--reviewer", "王芳")
    assert who == "王芳"


def test_export_takes_the_organisation_and_review_page_from_the_file(cli, desk):
    reviewed(cli, desk)
    r = cli("export", "a.claims.yaml", cwd=desk / "stories", env=env(desk))
    assert r.returncode == 0, r.stderr
    reviews = json.loads(r.stdout)
    assert reviews and {x["author"]["name"] for x in reviews} == {"示例事实核查中心"}
    assert all(x["url"].startswith("https://factcheck.example.org/reviews") for x in reviews)


def test_jobs_from_the_file_reach_the_batch(cli, desk, monkeypatch):
    (desk / "claimcheck.toml").write_text(DESK + "jobs = 1\n", encoding="utf-8")
    from claims import batch

    seen = []
    real = batch.run

    def run(sources, out_dir, options, jobs=None, on_outcome=None):
        seen.append(jobs)
        return real(sources, out_dir, options, jobs, on_outcome)

    monkeypatch.setattr(batch, "run", run)
    for name in ("a.txt", "b.txt"):
        shutil.copy(SAMPLE, desk / "stories" / name)
    assert cli("extract", ".", "-o", "out/", cwd=desk / "stories", env=env(desk)).returncode == 0
    assert cli("extract", ".", "-o", "out/", "-j", "2", cwd=desk / "stories", env=env(desk)).returncode == 0
    assert seen == [1, 2]


@pytest.mark.parametrize("content, line, expected", [
    ('reviewer = "李明"\njobs = "2"\n', 2, 'jobs: must be a whole number, without quotes (got "2")'),
    ('reviewer = "李明"\n\ncolour = "red"\n', 3,
     "colour: unknown setting (known: reviewer, organisation, review_url, rules, jobs)"),
    ('reviewer = "李明"\norganisation = 示例\n', 2, "organisation: not valid TOML: invalid value"),
    ('rules = "house-rules"\n', 1, 'rules: must be a list of folders, such as ["house-rules"] (got "house-rules")'),
    ('review_url = "factcheck.example.org"\n', 1,
     "review_url: 'factcheck.example.org' is not a web address (https://…)"),
    ("jobs = 0\n", 1, "jobs: must be 1 or more (got 0)"),
    ('reviewer = "  "\n', 1, "reviewer: is empty"),
])
def test_a_bad_file_is_one_line_naming_file_line_and_key(cli, desk, content, line, expected):
    bad = desk / "claimcheck.toml"
    bad.write_text(content, encoding="utf-8")
    shutil.copy(SAMPLE, desk / "stories" / "a.txt")
    for command in (["config"], ["extract", "a.txt", "-o", "a.claims.yaml"]):
        r = cli(*command, cwd=desk / "stories", env=env(desk))
        assert r.returncode == 1
        assert r.stderr.decode().splitlines() == [f"claimcheck: {bad}:{line}: {expected}"]
    assert not (desk / "stories" / "a.claims.yaml").exists()  # nothing done on a bad file


def test_the_users_config_folder_counts_when_no_folder_has_a_file(cli, desk, tmp_path_factory):
    user = desk / "config" / "claimcheck" / "claimcheck.toml"
    user.write_text('organisation = "个人核查"\n', encoding="utf-8")
    lone = tmp_path_factory.mktemp("lone")
    r = cli("config", cwd=lone, env=env(desk))
    assert f'organisation = "个人核查"  # {user}:1' in r.stdout.decode().splitlines()


def test_commands_that_take_no_setting_do_not_read_the_files(cli, desk):
    (desk / "claimcheck.toml").write_text("this is not toml\n", encoding="utf-8")
    r = cli("schema", cwd=desk / "stories", env=env(desk))
    assert r.returncode == 0 and r.stdout.startswith(b"{")
