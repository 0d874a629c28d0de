"""The CI identity read from the environment: none outside CI, and no guessing inside it."""

from __future__ import annotations

from automation.cli.identity import ci_identity


def test_outside_ci_there_is_no_ci_identity() -> None:
    assert ci_identity({"USER": "alice", "LOGNAME": "bob"}) is None


def test_an_empty_marker_is_not_ci() -> None:
    assert ci_identity({"GITHUB_ACTIONS": "", "GITHUB_ACTOR": "octocat"}) is None


def test_a_ci_that_does_not_say_who_records_unknown_and_no_link() -> None:
    found = ci_identity({"GITHUB_ACTIONS": "true"})

    assert found is not None
    assert (found.system, found.actor, found.run_url) == ("GitHub Actions", "unknown", None)


def test_an_azure_project_with_a_space_makes_a_working_link() -> None:
    found = ci_identity(
        {
            "TF_BUILD": "True",
            "BUILD_REQUESTEDFOR": "Jane Doe",
            "SYSTEM_COLLECTIONURI": "https://dev.azure.com/acme/",
            "SYSTEM_TEAMPROJECT": "License Ops",
            "BUILD_BUILDID": "7",
        }
    )

    assert found is not None
    assert found.actor == "Jane Doe"
    assert found.run_url == "https://dev.azure.com/acme/License%20Ops/_build/results?buildId=7"
