"""`setup` and `demo`: a browser for this machine, and a rehearsal on a local sandbox."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr

import automation.sandbox as sandbox_package
from automation.browser.ffmpeg import ensure_ffmpeg
from automation.browser.install import ensure_browser
from automation.cli.consoles import errors
from automation.cli.display import expected_errors
from automation.cli.literal import markup, shown
from automation.cli.options import (
    Browser,
    BrowserChannel,
    Debug,
    DryRun,
    HowItRuns,
    Profile,
    with_shared_options,
)
from automation.cli.running import run_one
from automation.cli.settings import settings
from automation.cli.targets import site_profile
from automation.config import Target, service_center_url
from automation.installation import add_extra, this_command
from automation.procedure import Procedure
from automation.sandbox.variants import (
    BACKUP_DOWNLOAD_HELP,
    BACKUP_REENCODES_HELP,
    CAPTIONS_HELP,
    FIELD_LAYOUT_HELP,
    FILE_PICKER_HELP,
    LICENSE_ENCODING_HELP,
    SIGN_IN_LABELS_HELP,
    SUBMIT_CONTROL_HELP,
    UPLOAD_ANSWER_HELP,
    UPLOAD_CONFIRM_HELP,
    UPLOAD_FORM_HELP,
    WORDS_HELP,
    BackupDownload,
    Captions,
    FieldLayout,
    FilePicker,
    LicenseEncoding,
    SignInLabels,
    SubmitControl,
    UploadAnswer,
    UploadFormStyle,
    Words,
)
from flows.install_license import install_license

# The site profile that teaches the sandbox's other-release words, shipped with it.
OTHER_RELEASE_PROFILE = Path(sandbox_package.__file__).parent / "profiles" / "other-release.toml"
STAGE = "The sandbox's Service Center (rehearse one you have not seen)"

SignInLabelsOption = Annotated[
    SignInLabels, typer.Option(help=SIGN_IN_LABELS_HELP, rich_help_panel=STAGE)
]
SubmitControlOption = Annotated[
    SubmitControl, typer.Option(help=SUBMIT_CONTROL_HELP, rich_help_panel=STAGE)
]
UploadFormOption = Annotated[
    UploadFormStyle, typer.Option(help=UPLOAD_FORM_HELP, rich_help_panel=STAGE)
]
UploadAnswerOption = Annotated[
    UploadAnswer, typer.Option(help=UPLOAD_ANSWER_HELP, rich_help_panel=STAGE)
]
LicenseEncodingOption = Annotated[
    LicenseEncoding, typer.Option(help=LICENSE_ENCODING_HELP, rich_help_panel=STAGE)
]
CaptionsOption = Annotated[Captions, typer.Option(help=CAPTIONS_HELP, rich_help_panel=STAGE)]
FieldLayoutOption = Annotated[
    FieldLayout, typer.Option(help=FIELD_LAYOUT_HELP, rich_help_panel=STAGE)
]
FilePickerOption = Annotated[FilePicker, typer.Option(help=FILE_PICKER_HELP, rich_help_panel=STAGE)]
UploadConfirmOption = Annotated[
    bool, typer.Option("--upload-confirm", help=UPLOAD_CONFIRM_HELP, rich_help_panel=STAGE)
]
BackupDownloadOption = Annotated[
    BackupDownload, typer.Option(help=BACKUP_DOWNLOAD_HELP, rich_help_panel=STAGE)
]
BackupReencodesOption = Annotated[
    bool, typer.Option("--backup-reencodes", help=BACKUP_REENCODES_HELP, rich_help_panel=STAGE)
]
WordsOption = Annotated[
    Words,
    typer.Option(
        help=WORDS_HELP + " Without --profile, the demo uses that profile.",
        rich_help_panel=STAGE,
    ),
]
LatencyOption = Annotated[
    int,
    typer.Option(
        "--latency-ms", min=0, help="Milliseconds every page takes.", rich_help_panel=STAGE
    ),
]


def say(line: str) -> None:
    errors.print(shown(line))


def setup(
    browser: Browser = None, browser_channel: BrowserChannel = None, debug: Debug = False
) -> None:
    """Find the browsers to drive (a headless shell for headless runs, Chromium for headed
    ones; installing what is missing) and ffmpeg for video."""
    with expected_errors(debug):
        ensure_browser(browser, say, browser_channel)
        try:
            ffmpeg = ensure_ffmpeg(say)
        except (OSError, StopIteration) as error:  # e.g. a browsers folder it cannot write
            say(f"ffmpeg could not be put in place: {error}")
            ffmpeg = None
        if ffmpeg is None:
            # Only --video needs it: say so, and let everything else go on.
            warning = "[yellow]Warning:[/] no ffmpeg for --video; runs still work. {}"
            errors.print(markup(warning, no_ffmpeg()))


def no_ffmpeg() -> str:
    """What to do for video after `setup` found no ffmpeg, as this copy was installed."""
    again = this_command("setup")
    return (
        f"For video, install the video extra ({add_extra('video')}) or an ffmpeg that encodes "
        f"VP8, then run `{again}` again."
    )


@with_shared_options
def demo(
    how: HowItRuns,
    dry_run: DryRun = False,
    profile: Profile = None,
    sign_in_labels: SignInLabelsOption = "label",
    submit_control: SubmitControlOption = "input",
    upload_form: UploadFormOption = "page",
    upload_answer: UploadAnswerOption = "navigate",
    license_encoding: LicenseEncodingOption = "text",
    captions: CaptionsOption = "plain",
    field_layout: FieldLayoutOption = "divs",
    file_picker: FilePickerOption = "input",
    upload_confirm: UploadConfirmOption = False,
    backup_download: BackupDownloadOption = "attachment",
    backup_reencodes: BackupReencodesOption = False,
    words: WordsOption = "documented",
    latency_ms: LatencyOption = 0,
) -> None:
    """Install a fresh license on a local sandbox Service Center, exactly as on a real one.

    The sandbox can play each way a Service Center you have not seen may differ: how its
    sign-in boxes are named, what its buttons are, where Upload New License opens, how it
    answers, and how its license files are written.
    """
    # The web stack loads only here.
    from automation.cli.demo import NextStep, sandbox_with_new_license

    with expected_errors(how.debug):
        chosen = settings(how)
        if profile is None and words == "other-release":
            profile = OTHER_RELEASE_PROFILE
            errors.print(shown(f"Other-release words, taught by the site profile {profile}"))
        taught = site_profile(profile)  # checked before the sandbox starts
        stage = sandbox_with_new_license(
            sign_in_labels=sign_in_labels,
            submit_control=submit_control,
            upload_form=upload_form,
            upload_answer=upload_answer,
            license_encoding=license_encoding,
            captions=captions,
            field_layout=field_layout,
            file_picker=file_picker,
            upload_confirm=upload_confirm,
            backup_download=backup_download,
            backup_reencodes=backup_reencodes,
            words=words,
            latency_ms=latency_ms,
        )
        with stage as (server, license_path, password):
            errors.print(shown(f"Sandbox Service Center running at {server.url}/ServiceCenter"))
            target = Target(
                name="sandbox",
                url=service_center_url(server.url),
                user=server.state.config.user,
                password=SecretStr(password),
                profile=taught,
            )
            flow = partial(install_license, license_path=license_path, dry_run=dry_run)
            procedure = Procedure("install", flow, changes=not dry_run)
            run_one(procedure, target, chosen, more=NextStep())
