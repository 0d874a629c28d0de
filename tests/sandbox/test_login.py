"""Login.aspx: the way into the sandbox, and the only one."""

from __future__ import annotations

import httpx

from tests.support.http import PASSWORD_FIELD, USER_FIELD
from tests.support.markup import alerts, parse
from tests.support.sandboxes import Sandbox


def test_pages_behind_login_redirect_to_the_login_page(sandbox: Sandbox) -> None:
    response = httpx.get(f"{sandbox.origin}/ServiceCenter/Licensing.aspx")
    assert response.status_code == 302
    assert response.headers["location"] == (
        "/ServiceCenter/Login.aspx?OriginalURL=%2FServiceCenter%2FLicensing.aspx"
    )


def test_service_center_root_leads_to_login_then_home(sandbox: Sandbox) -> None:
    response = httpx.get(f"{sandbox.origin}/ServiceCenter", follow_redirects=True)
    assert response.url.path == "/ServiceCenter/Login.aspx"


def test_login_page_shows_the_documented_texts_and_environment_script(
    sandbox: Sandbox,
) -> None:
    html = httpx.get(f"{sandbox.origin}/ServiceCenter/Login.aspx").text
    page = parse(html)
    assert page.find("title").children == ["Service Center"]
    assert "Enter your OutSystems credentials" in page.lines()
    assert "environmentName: 'Development'" in html
    assert f"environmentKey: '{sandbox.state.config.environment_key}'" in html
    assert 'name="__OSVSTATE"' in html
    assert '<label for="wt12_wtMainContent_wtUserNameInput">Username</label>' in html
    assert '<label for="wt12_wtMainContent_wtPasswordInput">Password</label>' in html
    assert 'type="submit" class="Button Is_Default" id="wt12_wtMainContent_wtLoginButton"' in html


def test_wrong_password_stays_on_login_with_an_error_and_no_password_echoed(
    sandbox: Sandbox,
) -> None:
    wrong = "not-the-password-123"
    response = httpx.post(
        f"{sandbox.origin}/ServiceCenter/Login.aspx",
        data={USER_FIELD: "admin", PASSWORD_FIELD: wrong},
    )
    assert response.status_code == 200
    assert alerts(response.text) == ["Invalid username or password."]
    assert 'value="admin"' in response.text
    assert wrong not in response.text
    assert "set-cookie" not in response.headers


def test_login_returns_to_the_page_asked_for(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.origin, follow_redirects=True) as client:
        client.get("/ServiceCenter/Licensing.aspx")
        response = client.post(
            "/ServiceCenter/Login.aspx?OriginalURL=%2FServiceCenter%2FLicensing.aspx",
            data={USER_FIELD: "admin", PASSWORD_FIELD: sandbox.password},
        )
        assert response.url.path == "/ServiceCenter/Licensing.aspx"


def test_login_never_sends_the_browser_to_another_site(sandbox: Sandbox) -> None:
    response = httpx.post(
        f"{sandbox.origin}/ServiceCenter/Login.aspx?OriginalURL=https%3A%2F%2Fevil.example%2F",
        data={USER_FIELD: "admin", PASSWORD_FIELD: sandbox.password},
    )
    assert response.headers["location"] == "/ServiceCenter/Applications.aspx"
    assert "httponly" in response.headers["set-cookie"].lower()


def test_logout_ends_the_session(client: httpx.Client) -> None:
    client.get("/ServiceCenter/Logout.aspx")
    assert client.get("/ServiceCenter/Licensing.aspx").status_code == 302
