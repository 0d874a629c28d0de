"""The frame around every page: tabs, the Administration submenu and the sidebar."""

from __future__ import annotations

import re

import httpx

from tests.support.fixture_types import SignIn
from tests.support.markup import parse
from tests.support.sandboxes import Sandbox

SUBMENU = [
    "Users",
    "Roles",
    "Environment Configuration",
    "Security",
    "Deployment Zones",
    "Servers",
    "Database Catalogs",
    "Database Connections",
    "Email",
    "Certificates",
    "SEO URLs",
    "Licensing",
]


def test_header_shows_logo_tabs_user_and_logout(client: httpx.Client) -> None:
    page = parse(client.get("/ServiceCenter/Applications.aspx").text)
    header = page.find(id="wt3_wtHeader")
    assert "outsystems • Service Center" in header.lines()
    assert header.links() == [
        "outsystems • Service Center",
        "Factory",
        "Monitoring",
        "Administration",
        "Analytics",
        "",  # the logout icon, named by aria-label
    ]
    assert "Administrator" in header.lines()
    assert page.find(id="wt3_wtHeader_wtLogoutLink").attrs["aria-label"] == "Logout"


def test_administration_tab_lands_on_users_with_the_twelve_submenu_items(
    client: httpx.Client,
) -> None:
    home = parse(client.get("/ServiceCenter/Applications.aspx").text)
    administration = next(a for a in home.find_all("a") if a.text() == "Administration")
    response = client.get(administration.attrs["href"])
    page = parse(response.text)
    assert page.find("h1").lines() == ["Users"]
    assert page.find(id="wt3_wtHeader_wtSubMenu").links() == SUBMENU
    active = page.find("a", **{"aria-current": "page", "class": "SubMenu_Item SubMenu_ItemActive"})
    assert active.lines() == ["Users"]


def test_every_link_in_the_frame_and_licensing_page_works(client: httpx.Client) -> None:
    page = parse(client.get("/ServiceCenter/Licensing.aspx").text)
    hrefs = {a.attrs["href"] for a in page.find_all("a")} - {"/ServiceCenter/Logout.aspx"}
    for href in sorted(hrefs):
        response = client.get(href)
        assert response.status_code == 200, href


def test_sidebar_shows_environment_license_version_and_clock(
    sandbox: Sandbox, signed_in: SignIn
) -> None:
    sandbox.state.config.environment_name = "Production"
    client = signed_in(sandbox)
    sidebar = parse(client.get("/ServiceCenter/Users.aspx").text).find(id="wt3_wtSidebar")
    lines = sidebar.lines()
    assert lines[:7] == [
        "Production",
        "Manage all environments in LifeTime",
        "OutSystems Enterprise",
        "Licensed to Sandbox Organization",
        "Production purpose",
        "Version 11.17.0 (Build 36348)",
        lines[6],
    ]
    assert re.fullmatch(r"\d\d:\d\d [A-Z][a-z]{2} \d{4}-\d\d-\d\d", lines[6])
    assert "Recent Items" in lines
