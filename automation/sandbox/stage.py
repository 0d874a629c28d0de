"""How the sandbox's Service Center looks and answers, as options: `sandbox serve` and `demo`
take them as one group (automation/option_groups.py), and the sandbox's config takes them as
they are."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any

import typer

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

STAGE = "The sandbox's Service Center (rehearse one you have not seen)"


def _option(help_: str, *flag: str) -> Any:
    return typer.Option(*flag, help=help_, rich_help_panel=STAGE)


@dataclass(frozen=True)
class Stage:
    """Each way a Service Center you have not seen may differ, as the sandbox plays it."""

    sign_in_labels: Annotated[SignInLabels, _option(SIGN_IN_LABELS_HELP)] = "label"
    submit_control: Annotated[SubmitControl, _option(SUBMIT_CONTROL_HELP)] = "input"
    upload_form: Annotated[UploadFormStyle, _option(UPLOAD_FORM_HELP)] = "page"
    upload_answer: Annotated[UploadAnswer, _option(UPLOAD_ANSWER_HELP)] = "navigate"
    license_encoding: Annotated[LicenseEncoding, _option(LICENSE_ENCODING_HELP)] = "text"
    captions: Annotated[Captions, _option(CAPTIONS_HELP)] = "plain"
    field_layout: Annotated[FieldLayout, _option(FIELD_LAYOUT_HELP)] = "divs"
    file_picker: Annotated[FilePicker, _option(FILE_PICKER_HELP)] = "input"
    upload_confirm: Annotated[bool, _option(UPLOAD_CONFIRM_HELP, "--upload-confirm")] = False
    backup_download: Annotated[BackupDownload, _option(BACKUP_DOWNLOAD_HELP)] = "attachment"
    backup_reencodes: Annotated[bool, _option(BACKUP_REENCODES_HELP, "--backup-reencodes")] = False
    words: Annotated[Words, _option(WORDS_HELP)] = "documented"

    def config(self) -> dict[str, Any]:
        """The sandbox config's fields these options set."""
        return dataclasses.asdict(self)
