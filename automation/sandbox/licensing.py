"""Administration > Licensing: the status page, Backup and Audit License, the upload form."""

from __future__ import annotations

import asyncio
import datetime
from typing import Any

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from automation.sandbox import messages, words
from automation.sandbox.downloads import file_response
from automation.sandbox.faults import UPLOAD_FAILED, UPLOAD_IGNORED
from automation.sandbox.holds import UPLOAD_PROCESSING
from automation.sandbox.licenses import reencode_license
from automation.sandbox.state import MAX_UPLOAD_BYTES, Session
from automation.sandbox.variants import POPUP_DELAY_MS, RELOAD_DELAY_MS
from automation.sandbox.web import (
    BASE,
    LICENSING,
    Endpoint,
    add_feedback,
    frame_context,
    osvstate,
    render,
    sandbox,
    server_error,
    signed_in,
)

FILE_FIELD = "wt7$wtMainContent$wtLicenseFileUpload"
PAGE_FORM = f"{BASE}/LicenseUpload.aspx"
POPUP_FORM = f"{BASE}/LicenseUpload_Popup.aspx"
# upload_form=nested-popup: the dialog's iframe shows this page; its own iframe, the form.
NESTED_FRAME = f"{BASE}/LicenseUpload_Frame.aspx"

# Not published word for word; close to what Service Center 11 shows under each feature.
FEATURE_DESCRIPTIONS = {
    "Access Control": "Control which end-users can access each application.",
    "Active External Users": "Distinct external end-users active in the last 30 days.",
    "Active Internal Users": "Distinct internal end-users active in the last 30 days.",
    "Analytics": "Monitor the performance of applications.",
    "Anonymous End-Users Sessions": "Sessions of end-users who did not log in.",
    "Application Objects": "Screens, entities and API methods across all applications.",
    "Intellectual Property": "Protection of the source code of published modules.",
    "Platform Server Upgrade": "Latest Platform Server version this license allows.",
    "Service Center Users": "IT users who can log in to Service Center.",
}
FEATURE_USAGE = {
    "Active External Users": "0",
    "Active Internal Users": "102",
    "Anonymous End-Users Sessions": "Peak: 0",
    "Application Objects": "37",
    "Service Center Users": "38",
}


@signed_in
async def licensing(request: Request, session: Session) -> Response:
    state = sandbox(request)
    if "licensing" in state.faults.error_500:
        return server_error()
    state.licensing_views.append(datetime.datetime.now(datetime.UTC))
    lic = state.installed_license
    name_filter = "" if "Reset" in request.query_params else request.query_params.get("Name", "")
    features = [
        (name, FEATURE_DESCRIPTIONS.get(name, ""), limit, FEATURE_USAGE.get(name, "-"))
        for name, limit in (lic.features.items() if lic else ())
        if name_filter.strip().lower() in name.lower()
    ]
    shown, said = state.config.upload_form, state.config.words
    end_date = words.end_date(lic.end_date if lic else None, lic is not None, said)
    context = frame_context(request, session, "Licensing", "Administration", "Licensing")
    context |= {
        "banner": words.banner(state.banner(), said),
        "left": [
            ("OrganizationName", "Organization Name", lic.organization_name if lic else ""),
            ("EditionName", "Edition Name", lic.edition_name if lic else ""),
            ("LicenseType", "License Type", lic.license_type if lic else ""),
        ],
        "right": [
            ("ActivationCode", "Activation Code", lic.activation_code if lic else ""),
            (
                "SerialNumber",
                words.label("SerialNumber", "Serial Number", said),
                state.config.serial_number,
            ),
            ("EndDate", words.label("EndDate", "End Date", said), end_date),
        ],
        "features": features,
        "name_filter": name_filter,
        "shown": shown,
        "popup_delay_ms": POPUP_DELAY_MS if shown == "delayed-popup" else 0,
        "upload_url": {"page": PAGE_FORM, "nested-popup": NESTED_FRAME}.get(shown, POPUP_FORM),
        "backup_failed": messages.BACKUP_FAILED,
    }
    return render(request, "licensing.html", context)


@signed_in
async def backup(request: Request, session: Session) -> Response:
    state = sandbox(request)
    with state.lock:
        lic, data = state.installed_license, state.installed_bytes
    if lic is None or data is None:
        add_feedback(request, session, "error", messages.NO_LICENSE)
        return RedirectResponse(LICENSING, 303)
    if state.config.backup_reencodes:
        # Re-encoded once, when it was stored, as a server that re-serialises what it keeps:
        # every backup of one stored license is the same file.
        if data not in state.reencoded:
            state.reencoded[data] = reencode_license(data)
        data = state.reencoded[data]
    headers = {"Content-Disposition": f'attachment; filename="{lic.serial_number}.lic"'}
    body = state.faults.backup_body
    if body == "html-error":
        # Misconfigured servers send their error page with 200 and the download's headers.
        return server_error(200, headers)
    if body == "empty":
        data = b""
    elif body == "unstable":  # written anew at every other download: no two in a row alike
        state.unstable_backups += 1
        if state.unstable_backups % 2:
            data = reencode_license(data)
    chunked = state.config.backup_download == "chunked"
    return file_response(data, headers, chunked=chunked, cut_short=body == "truncated")


@signed_in
async def audit(request: Request, session: Session) -> Response:
    state = sandbox(request)
    lic = state.installed_license
    lines = [
        "OutSystems License Audit",
        f"Generated: {state.now().isoformat(timespec='seconds')}",
        f"Environment: {state.config.environment_name}",
        f"Serial Number: {state.config.serial_number}",
        f"Activation Code: {lic.activation_code if lic else ''}",
        *(
            f"{name}: {limit} (usage {FEATURE_USAGE.get(name, '-')})"
            for name, limit in (lic.features.items() if lic else ())
        ),
    ]
    return Response(
        "\r\n".join(lines) + "\r\n",
        media_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="OutSystems.Audit.txt"'},
    )


def _upload_endpoint(popup: bool) -> Endpoint:
    """The form on a page of its own, or bare for a popup's iframe or a window."""
    template = "upload_popup.html" if popup else "upload_page.html"

    @signed_in
    async def upload(request: Request, session: Session) -> Response:
        config = sandbox(request).config
        errors: list[str] = []
        if request.method == "POST":
            filename, data = await _read_upload(request)
            faults = sandbox(request).faults
            await asyncio.sleep(faults.delay_upload_ms / 1000)
            held = faults.holds.get(UPLOAD_PROCESSING)
            if held is not None:
                await held.wait()
            attempt = sandbox(request).upload(filename, data)
            if attempt.message == UPLOAD_FAILED:
                return server_error()
            if attempt.accepted or attempt.message == UPLOAD_IGNORED:
                return _accepted(request, session, popup)
            errors = [attempt.message]
            if attempt.message == messages.NO_LICENSE:
                errors.append(messages.NOT_A_LICENSE_FILE)
        context = _form_context(request, session, popup)
        context |= {"errors": errors, "action": request.url.path, "file_field": FILE_FIELD}
        context |= {"shown": config.upload_form, "submit_control": config.submit_control}
        context |= {
            "alert": "\n".join(errors) if errors and config.upload_answer == "alert" else None,
            "confirm": messages.CONFIRM_UPLOAD if config.upload_confirm else None,
        }
        return render(request, template, context)

    return upload


@signed_in
async def nested_frame(request: Request, session: Session) -> Response:
    """The page in the dialog's iframe whose own iframe holds the form (nested-popup)."""
    return render(request, "upload_frame.html", {"base": BASE, "form_url": POPUP_FORM})


def _form_context(request: Request, session: Session, popup: bool) -> dict[str, Any]:
    if popup:
        return {"title": "Upload New License", "base": BASE, "osvstate": osvstate()}
    return frame_context(request, session, "Upload New License", "Administration", "Licensing")


def _accepted(request: Request, session: Session, popup: bool) -> Response:
    """Licensing at once, a success message and Licensing a moment later, or an alert and
    Licensing once it is dismissed."""
    config = sandbox(request).config
    if config.upload_answer == "navigate":
        add_feedback(request, session, "success", messages.UPLOADED)
        if not popup:
            return RedirectResponse(LICENSING, 303)
    context = _form_context(request, session, popup)
    context |= {"target": LICENSING, "shown": config.upload_form, "delay_ms": RELOAD_DELAY_MS}
    answer = config.upload_answer
    context["message"] = messages.UPLOADED if answer == "message-then-reload" else None
    context["alert"] = messages.UPLOADED_ALERT if answer == "alert" else None
    return render(request, "upload_done.html" if popup else "upload_page.html", context)


async def _read_upload(request: Request) -> tuple[str, bytes]:
    try:
        async with request.form() as form:
            upload = form.get(FILE_FIELD)
            if not isinstance(upload, UploadFile):
                return "", b""
            return upload.filename or "", await upload.read(MAX_UPLOAD_BYTES + 1)
    except HTTPException:
        # A malformed multipart body is, to the operator, just another unreadable file.
        return "", b""


routes = [
    Route(LICENSING, licensing),
    Route(f"{BASE}/LicenseBackup.aspx", backup),
    Route(f"{BASE}/LicenseAudit.aspx", audit),
    Route(PAGE_FORM, _upload_endpoint(popup=False), methods=["GET", "POST"]),
    Route(POPUP_FORM, _upload_endpoint(popup=True), methods=["GET", "POST"]),
    Route(NESTED_FRAME, nested_frame),
]
