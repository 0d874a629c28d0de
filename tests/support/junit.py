"""A JUnit XML file as CI systems read it: parsed strictly, valid against the Jenkins xUnit
plugin's junit-10.xsd, its shape checked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from xml.parsers import expat

from lxml import etree

OUTCOMES = ("failure", "error", "skipped")
SCHEMA = Path(__file__).parents[1] / "evidence" / "schemas" / "junit-10.xsd"


@cache
def junit_10() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def schema_errors(data: bytes) -> list[str]:
    """What Jenkins' xUnit plugin would say of the file, as libxml2 says it (none: valid)."""
    schema = junit_10()
    schema.validate(etree.fromstring(data))
    return str(schema.error_log).splitlines()  # e.g. "...:2:0:ERROR:...: Element 'testsuites', ..."


def read_junit(path: Path) -> ET.Element:
    """The file's root, after a strict parse, a validation against junit-10.xsd and the checks
    of the common JUnit schema: testsuites > testsuite > testcase, counts that add up, the
    attributes readers need."""
    data = path.read_bytes()
    expat.ParserCreate().Parse(data, True)  # well-formed, or ExpatError
    assert schema_errors(data) == []
    root = ET.fromstring(data)
    assert root.tag == "testsuites"
    suites = list(root)
    assert suites and all(suite.tag == "testsuite" for suite in suites)
    for suite in suites:
        cases = list(suite.iter("testcase"))
        assert suite.get("name")
        assert int(suite.get("tests", "-1")) == len(cases)
        for kind, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            counted = sum(1 for case in cases if case.find(tag) is not None)
            assert int(suite.get(kind, "-1")) == counted, kind
        float(suite.get("time", "x"))
        for case in cases:
            assert case.get("classname") and case.get("name")
            float(case.get("time", "x"))
            assert sum(1 for child in case if child.tag in OUTCOMES) <= 1
            for child in case:
                if child.tag in ("failure", "error"):
                    assert child.get("message") and child.get("type")
    for kind in ("tests", "failures", "errors"):
        assert int(root.get(kind, "-1")) == sum(int(s.get(kind, "0")) for s in suites)
    return root


def cases(root: ET.Element) -> dict[str, ET.Element]:
    """The test cases by environment name."""
    return {case.get("name", ""): case for case in root.iter("testcase")}


def verdict(case: ET.Element) -> tuple[str, ET.Element | None]:
    """passed, failure, error or skipped, and the element that says so."""
    for child in case:
        if child.tag in OUTCOMES:
            return child.tag, child
    return "passed", None
