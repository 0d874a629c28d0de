"""`sc-license probe`: what the tool recognises of a Service Center, read-only."""

from __future__ import annotations

from automation.cli.options import HowItRuns, WhichEnvironments
from automation.option_groups import with_option_groups


@with_option_groups
def probe(which: WhichEnvironments, how: HowItRuns) -> None:
    """Check what the tool recognises of a Service Center, read-only; propose a profile.

    Signs in, opens Administration > Licensing, reads the page, opens Upload New License
    and closes it without choosing a file. Every control and value is reported found or not,
    and how (probe.md, probe.json); for what was not recognised, profile-proposal.toml
    proposes a site profile to check and give with --profile. Exit 0 when everything the
    procedure needs was recognised, 5 otherwise. Run it first on a new Service Center.
    """
    # Loaded here, not at the top: `probe --help` needs none of the browser machinery.
    from automation.cli.display import expected_errors
    from automation.cli.probe_display import ProbeShown
    from automation.cli.running import run_selected
    from automation.cli.settings import settings
    from automation.procedure import Procedure
    from flows.probe import probe as probe_flow

    with expected_errors(how.debug):
        procedure = Procedure("probe", probe_flow, changes=False)
        run_selected(procedure, which.where(), settings(how, which), more=ProbeShown())
