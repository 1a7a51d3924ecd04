"""The print rules: what the PDFs lose without mkdocs.yml's site_url or the provider's postal address."""

from __future__ import annotations

import re

import pytest

from coursekit import expect, refute
from patientvoice.check import check_course
from sitekit import copy_course


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("print-rules") / "course")
    return root, (root / "mkdocs.yml").read_text(), (root / "content" / "provider.yml").read_text()


def _check(example, mkdocs=lambda s: s, provider=lambda s: s):
    root, mkdocs_yml, provider_yml = example
    (root / "mkdocs.yml").write_text(mkdocs(mkdocs_yml))
    (root / "content" / "provider.yml").write_text(provider(provider_yml))
    return check_course(root)[1]


def _line(text: str, key: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key}:"))


def test_the_example_sets_both_so_neither_warns(example):
    problems = _check(example)
    refute(problems, "pdf.no-site-url")
    refute(problems, "pdf.no-return-address")


def test_no_site_url_is_a_warning_that_says_what_the_handout_loses(example):
    problems = _check(example, mkdocs=lambda s: re.sub(r"(?m)^site_url:.*\n", "", s))
    problem = expect(problems, "pdf.no-site-url", "mkdocs.yml", _line(example[1], "site_name"))
    assert problem.severity == "warning"
    assert "web address or a QR code" in problem.message and "site_url: https://" in problem.message
    assert not problems.errors  # the PDFs are still made


def test_no_site_url_is_fine_when_the_course_makes_no_pdfs(example):
    no_url = lambda s: re.sub(r"(?m)^site_url:.*\n", "", s)  # noqa: E731
    problems = _check(example, mkdocs=lambda s: no_url(s).replace("      paper: A4\n", "      paper: A4\n      pdf: false\n"))
    refute(problems, "pdf.no-site-url")


def test_no_postal_address_is_a_warning_on_the_provider(example):
    problems = _check(example, provider=lambda s: s.split("address:")[0])
    problem = expect(problems, "pdf.no-return-address", "content/provider.yml", 1)
    assert problem.severity == "warning" and "address:" in problem.message
    refute(problems, "pdf.no-site-url")


def test_return_to_alone_is_not_an_address(example):
    # Instructions without an address still leave a paper learner without somewhere to post the pack.
    problems = _check(example, provider=lambda s: re.sub(r"(?ms)^address: \|-\n(  .*?\n)+", "", s))
    assert "return_to:" in (example[0] / "content" / "provider.yml").read_text()
    expect(problems, "pdf.no-return-address", "content/provider.yml", 1)
