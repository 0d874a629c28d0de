"""The texts the sandbox shows: documented ones verbatim, guesses marked as such."""

VALID = "Your license is valid for this server and all features are within licensed limits."
NO_LICENSE = "No license was found for this server"
EXPIRED = (
    "This server license has expired. Your Service Center administrator must request a new license"
)
CLOCK_LAG = (
    "Your license is invalid because the clock of your Platform Server has (or had) "
    "a time lag for the right date and time."
)
CONTACT_SALES = (
    "Contact OutSystems Sales to keep using your applications and the OutSystems Platform."
)
# Not published: our guesses for the upload outcome and the unreadable-file detail line.
UPLOADED = "The license was successfully uploaded."
NOT_A_LICENSE_FILE = "The uploaded file is not a valid license file."
INVALID_LOGIN = "Invalid username or password."
# Not published either: the lockout message and the error page's wording are our guesses.
LOCKED_OUT = (
    "Your account has been locked due to too many failed login attempts. "
    "Please contact your administrator."
)
SERVER_ERROR_TITLE = "Internal Server Error"
SERVER_ERROR = "An unexpected error occurred. Please try again later."
# Documented (Administration > Security > Network Security); IIS titles its 403 page the same.
NOT_AUTHORIZED = "You are not authorized to view this page"
NOT_AUTHORIZED_DETAIL = "HTTP Error 403 - Forbidden"


def wrong_serial(serial: str) -> str:
    """Upload refused: the file was issued for another server."""
    return (
        "The license found is not valid for this server because it was issued "
        f"to a server with serial number '{serial}'"
    )


def issued_for_other_server(serial: str) -> tuple[str, str]:
    """Banner lines when the installed license belongs to another serial number."""
    return (
        "Your license is invalid as it was issued for a different server "
        f"with the following serial number '{serial}'.",
        CONTACT_SALES,
    )


def expires_within(days: int) -> str:
    period = f"{days} day" if days == 1 else f"{days} days"
    return (
        f"This server license will expire within {period}. "
        "Your Service Center administrator should request a new license"
    )


# Not published: what a Service Center that answers uploads with alerts says (upload_answer).
UPLOADED_ALERT = "The license was uploaded successfully."
CONFIRM_UPLOAD = "Are you sure you want to upload this license file?"
# Not published: what the page says when a Backup License fetched by script fails.
BACKUP_FAILED = "The license file could not be downloaded. Please try again."
# Another release's status words (words=other-release); the reason is the documented text.
OTHER_RELEASE_VALID = "This license is valid."


def other_release_not_valid(reason: str) -> str:
    return f"This license is not valid: {reason}"
